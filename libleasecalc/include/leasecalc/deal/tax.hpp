#pragma once
// Corporate income tax and VAT.

#include "leasecalc/deal/common.hpp"

#include <optional>

namespace leasecalc::deal {

struct IncomeTax {
  Decimal rate = 0;                 // 25% China, 15% high-tech enterprises, 21% US federal
  int loss_carry_forward_years = 5;
  Decimal loss_offset_cap = 1;      // share of a year's taxable income that old losses may offset
  // Tax years are fiscal years starting on the first of this month (1 = January: calendar years,
  // the default; 4 = April, as in India or Japan). Tax is assessed and booked at each tax year's
  // end, and the by-year depreciation methods run over tax years.
  int fiscal_year_start_month = 1;
  // When advance payments (prepayments received before the service, carried as deferred revenue)
  // are taxable income.
  enum class AdvancePayments {
    as_earned,    // as the books earn them
    deferral,     // US IRC §451(c) deferral method: in the tax year of receipt what the books earn
                  // in it, the rest in the next tax year
    as_received,  // in full in the tax year of receipt
  };
  // Unset: the rule of the deal's currency (deal::advance_payments_rule): deferral for USD deals,
  // as_earned otherwise.
  std::optional<AdvancePayments> advance_payments;
};

struct Vat {
  enum class Refund {
    none,    // the input-VAT credit only offsets output VAT as it arises
    annual,  // the credit still unused at each deal year's end is refunded
    once,    // the credit unused at `refund_month` is refunded then
  };
  Refund refund = Refund::none;
  int refund_month = 12;      // once: month since the deal start
  Decimal refund_share = 1;   // share of the eligible credit refunded
  // Proper accounting keeps VAT off the P&L: the equipment is capitalised net of input VAT and a
  // refund is cash only. The broker convention does both differently: it capitalises the
  // VAT-inclusive price and books the refund as other income. The two are separate choices here;
  // a model file's `convention: broker` sets both (docs/model-format.md).
  bool refund_booked_as_income = false;  // the refund is other income on the P&L, not cash only
  bool input_vat_capitalised = false;    // the equipment's cost includes its input VAT
  // Output VAT charged on the sale of the used fleet, on top of its price. Unset: the equipment's
  // VAT rate (Cluster::capex_vat_rate) for a seller that deducted its input VAT, nil when the
  // input VAT is capitalised (the broker convention's reading). deal::vat_rate_on_sale.
  std::optional<Decimal> sale_rate;
};

struct Tax {
  IncomeTax income;
  Vat vat;
};

}  // namespace leasecalc::deal
