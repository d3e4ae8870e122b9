#include "leasecalc/engine/ledger.hpp"

namespace leasecalc::engine {

std::string_view line_name(Line line) {
  switch (line) {
    case Line::committed_revenue: return "committed_revenue";
    case Line::on_demand_revenue: return "on_demand_revenue";
    case Line::sla_credits: return "sla_credits";
    case Line::termination_fees: return "termination_fees";
    case Line::vat_refund_income: return "vat_refund_income";
    case Line::electricity: return "electricity";
    case Line::data_centre_rent: return "data_centre_rent";
    case Line::other_running_costs: return "other_running_costs";
    case Line::hardware_replacements: return "hardware_replacements";
    case Line::credit_losses: return "credit_losses";
    case Line::book_depreciation: return "book_depreciation";
    case Line::gain_on_sale: return "gain_on_sale";
    case Line::interest: return "interest";
    case Line::financing_fees: return "financing_fees";
    case Line::income_tax: return "income_tax";
    case Line::customer_receipts: return "customer_receipts";
    case Line::capex: return "capex";
    case Line::vat_paid: return "vat_paid";
    case Line::vat_refunded: return "vat_refunded";
    case Line::sale_proceeds: return "sale_proceeds";
    case Line::debt_drawn: return "debt_drawn";
    case Line::principal_repaid: return "principal_repaid";
    case Line::debt_prepaid: return "debt_prepaid";
    case Line::equity_contributed: return "equity_contributed";
    case Line::equity_distributed: return "equity_distributed";
    case Line::tax_depreciation: return "tax_depreciation";
    case Line::taxable_income: return "taxable_income";
    case Line::unlevered_income_tax: return "unlevered_income_tax";
    case Line::deferred_revenue: return "deferred_revenue";
    case Line::receivables: return "receivables";
    case Line::debt_outstanding: return "debt_outstanding";
    case Line::cash_balance: return "cash_balance";
    case Line::book_value: return "book_value";
    case Line::tax_value: return "tax_value";
    case Line::vat_credit: return "vat_credit";
    case Line::tax_losses: return "tax_losses";
    case Line::units_in_service: return "units_in_service";
    case Line::units_contracted: return "units_contracted";
    case Line::count: break;
  }
  return "unknown";
}

}  // namespace leasecalc::engine
