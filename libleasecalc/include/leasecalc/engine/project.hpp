#pragma once
// project(): a deal, month by month, into a ledger. A pure function of the deal: the same deal
// gives the same ledger, bit for bit, on any thread.
//
// Timing: month m runs from start + m months to start + m + 1 months, and every cash movement of
// the month happens at its end. Servers are in service from their delivery month. In the horizon's
// last month the fleet is sold at residual value, debt still outstanding is repaid and
// receivables still due are collected. Booked amounts are rounded to the cent (half-even), so a
// decimal ledger reconciles to the cent.

#include "leasecalc/deal/deal.hpp"
#include "leasecalc/engine/ledger.hpp"
#include "leasecalc/engine/schedules.hpp"
#include "leasecalc/engine/statements.hpp"
#include "leasecalc/num/rounding.hpp"
#include "leasecalc/time/date.hpp"
#include "leasecalc/time/day_count.hpp"

#include <algorithm>
#include <deque>
#include <optional>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

namespace leasecalc::engine {

// The deal month a date falls in (negative before the start).
inline int month_index(deal::Date start, deal::Date date) { return time::months_between(start, date); }

// The first day of deal month m.
inline deal::Date month_start(deal::Date start, int m) {
  return time::add_months(start, m, time::EndOfMonth::on);
}

namespace detail {

template <num::Numeric Num>
Num booked(const Num& amount) {
  return num::round_cents(amount);
}

// One delivery's capex: its servers and its share of the other capex lines.
template <num::Numeric Num>
struct CapexPayment {
  int month = 0;
  int servers = 0;
  Num net{0};          // excluding VAT
  Num input_vat{0};
  Num capitalised{0};  // the asset's cost: net, or net plus VAT when input VAT is capitalised
};

// A stretch of months during which some servers earn a contract's revenue.
struct Segment {
  enum class Kind { committed, on_demand };
  Kind kind = Kind::committed;
  const deal::TakeOrPay* take_or_pay = nullptr;  // committed: the contract, or the one followed on
  const deal::OnDemand* on_demand = nullptr;     // on demand: the contract, unless re-leased
  deal::Decimal servers = 0;
  int first_month = 0;  // deal months [first_month, end_month)
  int end_month = 0;
  bool follow_on = false;
  // Committed: price per unit-month at signing. Re-leased on demand: the expiring contract's
  // price, decaying at `annual_price_decay` from `price_month`.
  deal::Decimal unit_month_price = 0;
  int price_month = 0;
  deal::Decimal annual_price_decay = 0;
  const deal::Curve* utilisation = nullptr;  // re-leased on demand
};

template <num::Numeric Num>
class Projection {
 public:
  explicit Projection(const deal::Deal& deal)
      : deal_(deal),
        horizon_(deal.horizon_months),
        ledger_(deal.start, std::max(deal.horizon_months, 1), running_cost_names(deal)),
        month_zero_(static_cast<std::size_t>(std::max(deal.horizon_months, 1)), Num(0)),
        output_vat_(month_zero_),
        capex_cash_(month_zero_),
        committed_units_(month_zero_),
        on_demand_used_units_(month_zero_),
        receivable_flows_(month_zero_),
        deferred_flows_(month_zero_),
        tax_gain_on_sale_(0) {
    require_projectable(deal);
    for (int m = 0; m <= horizon_; ++m) month_starts_.push_back(month_start(deal.start, m));
  }

  Ledger<Num> run() {
    capex();
    for (const auto& segment : segments()) {
      if (segment.kind == Segment::Kind::committed) committed_revenue(segment);
      else on_demand_revenue(segment);
    }
    running_costs();
    depreciation_and_sale();
    vat();
    for (const auto& tranche : deal_.debt) debt(tranche);
    income_tax();
    balances();
    equity();
    return std::move(ledger_);
  }

 private:
  using Months = std::vector<Num>;

  // The loader validates model files field by field; a deal built in code gets these checks, which
  // guard every division and curve lookup so that no input yields a NaN.
  static void require_projectable(const deal::Deal& deal) {
    const auto require = [](bool ok, const char* what) {
      if (!ok) throw std::invalid_argument(what);
    };
    require(deal.horizon_months > 0, "the horizon must be at least one month");
    require(deal.cluster.servers >= 0, "the cluster cannot have a negative number of servers");
    for (const auto* policy : {&deal.assets.book, &deal.assets.tax})
      require(std::holds_alternative<deal::Macrs>(policy->method) || policy->life_months > 0,
              "a depreciation life must be at least one month");
    require(deal.running_costs.data_centre.basis != deal::DataCentre::Basis::per_rack_month ||
                deal.running_costs.data_centre.units_per_rack > 0,
            "a rack must hold at least one server");
    for (const auto& tranche : deal.debt)
      require(tranche.term_months > 0, "a debt tranche's term must be at least one month");
    for (const auto& contract : deal.contracts) {
      if (const auto* take_or_pay = std::get_if<deal::TakeOrPay>(&contract)) {
        require(take_or_pay->term_months > 0, "a take-or-pay term must be at least one month");
        require(take_or_pay->ramp_months >= 0, "a ramp cannot be negative");
        require(take_or_pay->re_lease.mode != deal::ReLease::Mode::on_demand ||
                    !take_or_pay->re_lease.utilisation.points.empty(),
                "a re-lease on demand needs a utilisation");
      } else {
        const auto& on_demand = std::get<deal::OnDemand>(contract);
        require(!on_demand.price.points.empty(), "an on-demand contract needs a price");
        require(!on_demand.utilisation.points.empty(), "an on-demand contract needs a utilisation");
      }
    }
  }

  static std::vector<std::string> running_cost_names(const deal::Deal& deal) {
    std::vector<std::string> names;
    for (const auto& cost : deal.running_costs.others) names.push_back(cost.name);
    return names;
  }

  Num& at(Line line, int month) { return ledger_(line, month); }
  static Num& at(Months& months, int month) { return months[static_cast<std::size_t>(month)]; }
  int last() const { return horizon_ - 1; }

  // ---- cluster -------------------------------------------------------------------------------

  void capex() {
    const auto& cluster = deal_.cluster;
    std::vector<deal::Tranche> deliveries = cluster.deliveries;
    if (deliveries.empty()) deliveries.push_back({deal_.start, cluster.servers});
    const Num vat_rate = as<Num>(cluster.capex_vat_rate);
    const Num units_per_server = Num(1) + as<Num>(cluster.spares_share);
    const bool vat_capitalised = deal_.tax.vat.input_vat_capitalised;
    for (const auto& delivery : deliveries) {
      CapexPayment<Num> payment;
      payment.month = month_index(deal_.start, delivery.date);
      if (payment.month < 0 || payment.month >= horizon_)
        throw std::invalid_argument("a delivery falls outside the deal's horizon");
      payment.servers = delivery.servers;
      const Num servers_cost =
          Num(delivery.servers) * units_per_server * as<Num>(cluster.price_per_server);
      Num quoted = servers_cost;
      for (const auto& extra : cluster.extra_capex) {
        quoted += extra.amount != 0
                      ? as<Num>(extra.amount) * Num(delivery.servers) / Num(cluster.servers)
                      : servers_cost * as<Num>(extra.share_of_servers);
      }
      quoted = booked(quoted);
      // Every capex amount is quoted like the server price: VAT-inclusive or not.
      if (cluster.price_includes_vat) {
        payment.net = booked(quoted / (Num(1) + vat_rate));
        payment.input_vat = quoted - payment.net;
      } else {
        payment.net = quoted;
        payment.input_vat = booked(quoted * vat_rate);
      }
      payment.capitalised = vat_capitalised ? payment.net + payment.input_vat : payment.net;
      at(Line::capex, payment.month) -= payment.net + payment.input_vat;
      at(capex_cash_, payment.month) += payment.net + payment.input_vat;
      for (int m = payment.month; m < horizon_; ++m)
        at(Line::units_in_service, m) += Num(delivery.servers);
      payments_.push_back(payment);
    }
  }

  // ---- revenue -------------------------------------------------------------------------------

  // The contracts as stretches of months, with re-leasing once a committed term ends.
  std::vector<Segment> segments() const {
    std::vector<Segment> result;
    for (const auto& contract : deal_.contracts) {
      if (const auto* take_or_pay = std::get_if<deal::TakeOrPay>(&contract)) {
        Segment committed;
        committed.take_or_pay = take_or_pay;
        committed.servers = take_or_pay->servers;
        committed.first_month = month_index(deal_.start, take_or_pay->start);
        committed.end_month =
            committed.first_month + (take_or_pay->early_termination
                                         ? take_or_pay->early_termination->after_months
                                         : take_or_pay->term_months);
        committed.unit_month_price = unit_month_price(take_or_pay->price, deal_.cluster.sku);
        result.push_back(committed);

        const auto& re_lease = take_or_pay->re_lease;
        if (committed.end_month >= horizon_ || re_lease.mode == deal::ReLease::Mode::idle) continue;
        Segment next = committed;
        next.first_month = committed.end_month;
        next.price_month = committed.first_month;
        next.annual_price_decay = re_lease.annual_price_decay;
        if (re_lease.mode == deal::ReLease::Mode::on_demand) {
          next.kind = Segment::Kind::on_demand;
          next.end_month = horizon_;
          next.utilisation = &re_lease.utilisation;
        } else {
          // Signed at the market price then: the expiring price decayed, less a discount.
          next.follow_on = true;
          next.end_month = next.first_month + re_lease.follow_on_term_months;
          const deal::Decimal years = deal::Decimal(next.first_month - committed.first_month) / 12;
          next.unit_month_price = committed.unit_month_price *
                                  num::pow(deal::Decimal(1) - re_lease.annual_price_decay, years) *
                                  (deal::Decimal(1) - re_lease.price_discount);
        }
        result.push_back(next);
      } else {
        const auto& on_demand = std::get<deal::OnDemand>(contract);
        Segment segment;
        segment.kind = Segment::Kind::on_demand;
        segment.on_demand = &on_demand;
        segment.servers = on_demand.servers;
        segment.first_month = month_index(deal_.start, on_demand.start);
        segment.end_month = on_demand.end ? month_index(deal_.start, *on_demand.end) : horizon_;
        result.push_back(segment);
      }
    }
    return result;
  }

  // The share of the worst tier of service credits that the expected availability triggers.
  static Num sla_credit_share(const deal::Sla& sla) {
    Num share(0);
    for (const auto& tier : sla.credits)
      if (sla.expected_availability < tier.availability_below)
        share = std::max(share, as<Num>(tier.credit_share));
    return share;
  }

  // A committed segment's terms in the engine's number type, converted once.
  struct CommittedTerms {
    Num servers, unit_month_price, escalator;
    int ramp_months;
  };

  CommittedTerms committed_terms(const Segment& segment) const {
    return {as<Num>(segment.servers), as<Num>(segment.unit_month_price),
            as<Num>(segment.take_or_pay->escalator.annual_rate),
            segment.follow_on ? 0 : segment.take_or_pay->ramp_months};
  }

  // Committed capacity billed in the k-th month of a segment (the ramp-up), in units.
  static Num committed_units(const CommittedTerms& terms, int k) {
    const Num ramp = terms.ramp_months > 0 ? std::min(Num(1), Num(k + 1) / Num(terms.ramp_months)) : Num(1);
    return terms.servers * ramp;
  }

  // Fee for the k-th month of a committed segment, before service credits.
  static Num committed_fee(const CommittedTerms& terms, int k) {
    return committed_units(terms, k) * terms.unit_month_price * escalation(terms.escalator, k / 12);
  }

  int billing_period(const Segment& segment) const {
    return time::months_per_period(segment.take_or_pay->billing);
  }

  // The deal month in which the invoice for the k-th service month is paid: at the start of its
  // billing period (advance) or one month after the period (arrears); at the latest, the horizon.
  int payment_month(const Segment& segment, int k) const {
    const int period = billing_period(segment);
    const int period_start = segment.first_month + (k / period) * period;
    const bool advance = segment.take_or_pay->timing == time::PaymentTiming::in_advance;
    return std::clamp(advance ? period_start : period_start + period, 0, last());
  }

  void committed_revenue(const Segment& segment) {
    const auto& contract = *segment.take_or_pay;
    const int first = segment.first_month;
    const int months = std::min(segment.end_month, horizon_) - first;
    if (months <= 0) return;
    const int term = segment.follow_on ? contract.re_lease.follow_on_term_months : contract.term_months;
    const Num credit_share = sla_credit_share(contract.sla);
    const Num loss_share = as<Num>(contract.expected_credit_loss);
    const Num vat_rate = as<Num>(contract.vat_rate);
    const int period = billing_period(segment);
    const CommittedTerms terms = committed_terms(segment);

    // The prepayment: a share of the whole term's fees, received at signing.
    Num prepayment(0);
    if (!segment.follow_on && contract.prepayment_share > 0) {
      Num contract_value(0);
      for (int k = 0; k < term; ++k) contract_value += committed_fee(terms, k);
      prepayment = booked(contract_value * as<Num>(contract.prepayment_share));
      at(Line::customer_receipts, first) += prepayment;
      at(deferred_flows_, first) += prepayment;
    }
    const Num spread_per_invoice = booked(prepayment / Num((term + period - 1) / period));
    Num unapplied = prepayment;

    for (int k = 0; k < months; ++k) {
      const int m = first + k;
      const Num fee = booked(committed_fee(terms, k));
      const Num credit = booked(fee * credit_share);
      const Num earned = fee - credit;
      const Num vat = booked(earned * vat_rate);
      const Num lost = booked((earned + vat) * loss_share);
      const Num invoice = earned + vat - lost;
      at(Line::committed_revenue, m) += fee;
      at(Line::sla_credits, m) -= credit;
      at(Line::credit_losses, m) -= lost;
      at(Line::units_contracted, m) += committed_units(terms, k);
      at(committed_units_, m) += committed_units(terms, k);
      at(output_vat_, m) += vat;

      Num applied(0);  // the part of this invoice settled from the prepayment
      if (unapplied > 0) {
        if (contract.prepayment_application == deal::PrepaymentApplication::credit_first_invoices)
          applied = std::min(unapplied, invoice);
        else if (k % period == 0)
          applied = std::min(unapplied, spread_per_invoice);
        unapplied -= applied;
      }
      const int due = payment_month(segment, k);
      at(Line::customer_receipts, due) += invoice - applied;
      at(receivable_flows_, m) += invoice;
      at(receivable_flows_, due) -= invoice;
      at(deferred_flows_, due) -= applied;
    }

    // An early exit: the fee is due in the last month of service, net of the prepayment left,
    // which is refunded where it exceeds the fee.
    if (!segment.follow_on && contract.early_termination && segment.end_month <= horizon_) {
      const int exit = first + months - 1;
      const Num fee = booked(committed_fee(terms, months - 1) *
                             as<Num>(contract.early_termination->fee_months));
      at(Line::termination_fees, exit) += fee;
      at(Line::customer_receipts, exit) += fee - unapplied;
      at(deferred_flows_, exit) -= unapplied;
    }
  }

  void on_demand_revenue(const Segment& segment) {
    const bool re_leased = segment.on_demand == nullptr;
    const Num bad_debt = as<Num>(re_leased ? segment.take_or_pay->expected_credit_loss
                                           : segment.on_demand->bad_debt);
    const Num vat_rate =
        as<Num>(re_leased ? segment.take_or_pay->vat_rate : segment.on_demand->vat_rate);
    const CurveValues<Num> utilisation(re_leased ? *segment.utilisation : segment.on_demand->utilisation);
    const Num servers = as<Num>(segment.servers);
    const OnDemandPrice price(segment);
    for (int m = std::max(segment.first_month, 0); m < std::min(segment.end_month, horizon_); ++m) {
      const Num used = servers * utilisation.at(m - segment.first_month);
      const Num earned = booked(used * price.at(m));
      const Num vat = booked(earned * vat_rate);
      const Num lost = booked((earned + vat) * bad_debt);
      const Num invoice = earned + vat - lost;
      at(Line::on_demand_revenue, m) += earned;
      at(Line::credit_losses, m) -= lost;
      at(Line::units_contracted, m) += used;
      at(on_demand_used_units_, m) += used;
      at(output_vat_, m) += vat;
      const int due = std::min(m + 1, last());  // billed monthly in arrears
      at(Line::customer_receipts, due) += invoice;
      at(receivable_flows_, m) += invoice;
      at(receivable_flows_, due) -= invoice;
    }
  }

  // On-demand price per unit-month by deal month: the quoted curve, decaying after its last point;
  // for servers re-leased on demand, the expiring contract's price decaying from its signing.
  struct OnDemandPrice {
    explicit OnDemandPrice(const Segment& segment)
        : quoted(segment.on_demand ? segment.on_demand->price
                                   : deal::Curve::constant(segment.unit_month_price)),
          decay_from(segment.on_demand ? quoted.last_month() : segment.price_month),
          retained(Num(1) - as<Num>(segment.on_demand ? segment.on_demand->annual_price_decay
                                                      : segment.annual_price_decay)) {}

    Num at(int m) const {
      if (m <= decay_from || retained == 1) return quoted.at(m);
      return quoted.at(m) * num::pow(retained, Num(m - decay_from) / Num(12));
    }

    CurveValues<Num> quoted;
    int decay_from;
    Num retained;  // share of the price kept after a year
  };

  // ---- running costs -------------------------------------------------------------------------

  void running_costs() {
    const auto& costs = deal_.running_costs;
    const auto& sku = deal_.cluster.sku;
    const Num kw_load = as<Num>(sku.kw_load);
    const Num kw_idle = as<Num>(sku.kw_idle);
    const Num hours = as<Num>(deal::hours_per_month);
    const Num take_or_pay_load = as<Num>(costs.electricity.take_or_pay_load);
    const Num failures_a_month = as<Num>(deal_.cluster.annual_failure_rate) / Num(12);
    const Num replacement_cost = as<Num>(deal_.cluster.replacement_cost);
    const auto& power = costs.electricity;
    const Num power_price = as<Num>(power.pue) * hours * as<Num>(power.tariff_per_kwh);
    const Num power_escalator = as<Num>(power.escalator.annual_rate);
    const auto& dc = costs.data_centre;
    const Num rent = as<Num>(dc.price), rent_escalator = as<Num>(dc.escalator.annual_rate);
    const Num units_per_rack = as<Num>(dc.units_per_rack);
    struct OtherCost {
      Num value, escalator, rented_gpus;
      std::optional<CurveValues<Num>> utilisation;
    };
    std::vector<OtherCost> others;
    for (const auto& cost : costs.others) {
      others.push_back({as<Num>(cost.value), as<Num>(cost.escalator.annual_rate), as<Num>(cost.rented_gpus), {}});
      if (cost.basis == deal::RunningCost::Basis::rented_gpu_month) others.back().utilisation.emplace(cost.utilisation);
    }
    Num hardware_cost(0);  // invoiced to date, VAT included: the equipment value O&M is quoted on
    auto payment = payments_.begin();
    for (int m = 0; m < horizon_; ++m) {
      for (; payment != payments_.end() && payment->month <= m; ++payment)
        hardware_cost += payment->net + payment->input_vat;
      const int year = m / 12;
      const Num in_service = at(Line::units_in_service, m);
      const Num committed = at(committed_units_, m);
      const Num on_demand = at(on_demand_used_units_, m);
      const Num idle = std::max(Num(0), in_service - committed - on_demand);

      if (!costs.electricity.paid_by_customer) {
        const Num kw = committed * (kw_idle + (kw_load - kw_idle) * take_or_pay_load) +
                       on_demand * kw_load + idle * kw_idle;
        at(Line::electricity, m) -= booked(kw * power_price * escalation(power_escalator, year));
      }
      const Num billed = dc.basis == deal::DataCentre::Basis::per_kw_month
                             ? in_service * kw_load
                             : num::ceil(in_service / units_per_rack);
      at(Line::data_centre_rent, m) -=
          booked(billed * rent * escalation(rent_escalator, year));

      at(Line::hardware_replacements, m) -=
          booked(in_service * failures_a_month * replacement_cost);

      const Num revenue = at(Line::committed_revenue, m) + at(Line::on_demand_revenue, m) +
                          at(Line::sla_credits, m);
      for (std::size_t i = 0; i < costs.others.size(); ++i) {
        const auto& cost = costs.others[i];
        const Num& value = others[i].value;
        Num amount(0);
        switch (cost.basis) {
          case deal::RunningCost::Basis::per_year: amount = value / Num(12); break;
          case deal::RunningCost::Basis::share_of_hardware_per_year:
            amount = hardware_cost * value / Num(12);
            break;
          case deal::RunningCost::Basis::per_gpu_month:
            amount = in_service * Num(sku.gpus_per_unit) * value;
            break;
          case deal::RunningCost::Basis::share_of_revenue: amount = revenue * value; break;
          case deal::RunningCost::Basis::rented_gpu_month:
            amount = others[i].rented_gpus * value * others[i].utilisation->at(m);
            break;
        }
        const Num charge = booked(amount * escalation(others[i].escalator, year));
        ledger_.running_cost(i, m) -= charge;
        at(Line::other_running_costs, m) -= charge;
      }
    }
  }

  // ---- fleet value ---------------------------------------------------------------------------

  void depreciation_and_sale() {
    Num book_value(0), tax_value(0);
    std::vector<Num> book_total(static_cast<std::size_t>(horizon_), Num(0));
    std::vector<Num> tax_total(static_cast<std::size_t>(horizon_), Num(0));
    Num proceeds(0);
    for (const auto& payment : payments_) {
      const int months = horizon_ - payment.month;
      const auto book = depreciation_schedule<Num>(deal_.assets.book, payment.capitalised, months);
      const auto tax = depreciation_schedule<Num>(deal_.assets.tax, payment.capitalised, months);
      add_rounded_cumulatively(book, payment.month, book_total);
      add_rounded_cumulatively(tax, payment.month, tax_total);
      proceeds += payment.capitalised * residual_share<Num>(deal_.assets.residual, months);
    }
    proceeds = booked(proceeds);
    auto payment = payments_.begin();
    for (int m = 0; m < horizon_; ++m) {
      for (; payment != payments_.end() && payment->month == m; ++payment) {
        book_value += payment->capitalised;
        tax_value += payment->capitalised;
      }
      const Num book_charge = std::min(book_total[static_cast<std::size_t>(m)], book_value);
      const Num tax_charge = std::min(tax_total[static_cast<std::size_t>(m)], tax_value);
      at(Line::book_depreciation, m) -= book_charge;
      at(Line::tax_depreciation, m) -= tax_charge;
      book_value -= book_charge;
      tax_value -= tax_charge;
      if (m == last()) {  // sold at the horizon
        at(Line::sale_proceeds, m) += proceeds;
        at(Line::gain_on_sale, m) += proceeds - book_value;
        tax_gain_on_sale_ = proceeds - tax_value;
        book_value = 0;
        tax_value = 0;
      }
      at(Line::book_value, m) = book_value;
      at(Line::tax_value, m) = tax_value;
    }
  }

  // Adds a schedule starting at `first` to `totals`, each month rounded to the cent such that the
  // rounded amounts add up to the rounded total: no cent is lost or invented over the life.
  static void add_rounded_cumulatively(const std::vector<Num>& schedule, int first, std::vector<Num>& totals) {
    Num cumulative(0), booked_so_far(0);
    for (std::size_t k = 0; k < schedule.size(); ++k) {
      cumulative += schedule[k];
      const Num charge = booked(cumulative) - booked_so_far;
      booked_so_far += charge;
      totals[static_cast<std::size_t>(first) + k] += charge;
    }
  }

  // ---- VAT -----------------------------------------------------------------------------------

  void vat() {
    const auto& rule = deal_.tax.vat;
    Num credit(0);
    auto payment = payments_.begin();
    for (int m = 0; m < horizon_; ++m) {
      for (; payment != payments_.end() && payment->month == m; ++payment) credit += payment->input_vat;
      const Num output = at(output_vat_, m);
      const Num offset = std::min(credit, output);
      credit -= offset;
      at(Line::vat_paid, m) -= output - offset;
      const bool refund_due = (rule.refund == deal::Vat::Refund::annual && (m % 12 == 11 || m == last())) ||
                              (rule.refund == deal::Vat::Refund::once && m == rule.refund_month);
      if (refund_due && credit > 0) {
        const Num refund = booked(credit * as<Num>(rule.refund_share));
        credit -= refund;
        at(Line::vat_refunded, m) += refund;
        if (rule.refund_booked_as_income) at(Line::vat_refund_income, m) += refund;
      }
      at(Line::vat_credit, m) = credit;
    }
  }

  // ---- debt ----------------------------------------------------------------------------------

  // Interest on `balance` over deal month m under the tranche's rate conventions.
  Num interest_for_month(const deal::DebtTranche& tranche, const Num& rate, const Num& balance, int m) const {
    const Num fraction = time::year_fraction<Num>(tranche.day_count, month_starts_[static_cast<std::size_t>(m)],
                                                  month_starts_[static_cast<std::size_t>(m) + 1]);
    if (tranche.compounding == deal::Compounding::simple) return balance * rate * fraction;
    return balance * (num::pow(Num(1) + rate, fraction) - Num(1));
  }

  void debt(const deal::DebtTranche& tranche) {
    Num total_capex(0);
    for (const auto& cash : capex_cash_) total_capex += cash;
    const Num commitment = tranche.amount != 0 ? as<Num>(tranche.amount)
                                               : booked(total_capex * as<Num>(tranche.share_of_capex));
    if (commitment <= 0) return;
    // Drawn pro rata to capex as it is paid.
    Months draws(static_cast<std::size_t>(horizon_), Num(0));
    int first_draw = -1, last_draw = -1;
    Num drawn(0);
    for (int m = 0; m < horizon_; ++m) {
      if (at(capex_cash_, m) == 0) continue;
      const bool final_draw = [&] {
        for (int n = m + 1; n < horizon_; ++n) if (at(capex_cash_, n) != 0) return false;
        return true;
      }();
      const Num draw = final_draw ? commitment - drawn : booked(commitment * at(capex_cash_, m) / total_capex);
      at(draws, m) = draw;
      drawn += draw;
      if (first_draw < 0) first_draw = m;
      last_draw = m;
    }
    if (first_draw < 0) return;
    at(Line::financing_fees, first_draw) -= booked(commitment * as<Num>(tranche.upfront_fee));

    // Drawings arrive at the start of their month and accrue interest from it; interest and
    // repayments are paid at month ends, from the first drawing's month: a 60-month loan drawn in
    // month 0 is repaid by the end of month 59.
    const int maturity = first_draw + tranche.term_months;  // repayments in [.., maturity)
    const int amortisation_start = first_draw + tranche.grace_months;
    const Num nominal_monthly = tranche.compounding == deal::Compounding::simple
                                    ? as<Num>(tranche.annual_rate) / Num(12)
                                    : num::pow(Num(1) + as<Num>(tranche.annual_rate), Num(1) / Num(12)) - Num(1);
    const Num balloon = booked(commitment * as<Num>(tranche.balloon_share));
    const Num rate = as<Num>(tranche.annual_rate);
    const Num commitment_fee = as<Num>(tranche.commitment_fee);
    Num balance(0), undrawn = commitment;
    for (int m = 0; m < horizon_; ++m) {
      if (at(draws, m) != 0) {
        at(Line::debt_drawn, m) += at(draws, m);
        balance += at(draws, m);
        undrawn -= at(draws, m);
      }
      if (m < last_draw)  // on what stays undrawn through the month
        at(Line::financing_fees, m) -= booked(undrawn * commitment_fee / Num(12));
      if (balance > 0) {
        at(Line::interest, m) -= booked(interest_for_month(tranche, rate, balance, m));
        const int remaining = maturity - m;  // repayments left, this one included
        Num principal(0);
        if (remaining <= 1) {
          principal = balance;
        } else if (m >= amortisation_start) {
          switch (tranche.amortisation) {
            case deal::Amortisation::annuity:
              principal = level_principal(balance, nominal_monthly, remaining, Num(0));
              break;
            case deal::Amortisation::balloon:
              principal = level_principal(balance, nominal_monthly, remaining, std::min(balloon, balance));
              break;
            case deal::Amortisation::straight_line: principal = balance / Num(remaining); break;
            case deal::Amortisation::bullet: break;
          }
        }
        principal = std::min(booked(principal), balance);
        at(Line::principal_repaid, m) -= principal;
        balance -= principal;
      }
      if (m == last() && balance > 0) {  // the rest is repaid from the sale of the fleet
        at(Line::debt_prepaid, m) -= balance;
        balance = 0;
      }
      at(Line::debt_outstanding, m) += balance;
    }
  }

  // Principal part of a level payment that leaves `residual` after `remaining` payments.
  static Num level_principal(const Num& balance, const Num& rate, int remaining, const Num& residual) {
    if (rate == 0) return (balance - residual) / Num(remaining);
    const Num growth = num::powi(Num(1) + rate, remaining);
    const Num payment = (balance * growth - residual) * rate / (growth - Num(1));
    return payment - balance * rate;
  }

  // ---- income tax ----------------------------------------------------------------------------

  // Tax by deal year on the year's taxable income, after losses carried forward (first in,
  // first out, expiring after the stated years, offsetting at most the stated share).
  void income_tax() {
    const auto& rules = deal_.tax.income;
    const Num offset_cap = as<Num>(rules.loss_offset_cap), tax_rate = as<Num>(rules.rate);
    for (const bool levered : {true, false}) {
      std::deque<std::pair<int, Num>> losses;  // (year incurred, amount left)
      for (int year = 0; year * 12 < horizon_; ++year) {
        const int first = year * 12, end = std::min(first + 12, horizon_), close = end - 1;
        Num base(0);
        for (int m = first; m < end; ++m) {
          base += at(Line::committed_revenue, m) + at(Line::on_demand_revenue, m) +
                  at(Line::sla_credits, m) + at(Line::termination_fees, m) +
                  at(Line::vat_refund_income, m) + at(Line::electricity, m) +
                  at(Line::data_centre_rent, m) + at(Line::other_running_costs, m) +
                  at(Line::hardware_replacements, m) + at(Line::credit_losses, m) +
                  at(Line::tax_depreciation, m);
          if (levered) base += at(Line::interest, m) + at(Line::financing_fees, m);
        }
        if (close == last()) base += tax_gain_on_sale_;
        while (!losses.empty() && year - losses.front().first > rules.loss_carry_forward_years) losses.pop_front();
        Num taxable = base;
        if (base < 0) {
          losses.emplace_back(year, -base);
          taxable = 0;
        } else {
          Num allowance = booked(base * offset_cap);
          for (auto& [incurred, left] : losses) {
            const Num used = std::min(left, allowance);
            left -= used;
            allowance -= used;
            taxable -= used;
          }
          while (!losses.empty() && losses.front().second == 0) losses.pop_front();
        }
        const Num tax = booked(taxable * tax_rate);
        if (levered) {
          at(Line::taxable_income, close) = base;
          at(Line::income_tax, close) -= tax;
          Num pool(0);
          for (const auto& loss : losses) pool += loss.second;
          for (int m = first; m < end; ++m) at(Line::tax_losses, m) = pool;
        } else {
          at(Line::unlevered_income_tax, close) -= tax;
        }
      }
    }
  }

  // ---- balances ------------------------------------------------------------------------------

  void balances() {
    Num receivables(0), deferred(0);
    for (int m = 0; m < horizon_; ++m) {
      receivables += at(receivable_flows_, m);
      deferred += at(deferred_flows_, m);
      at(Line::receivables, m) = receivables;
      at(Line::deferred_revenue, m) = deferred;
    }
  }

  // The deal keeps its cash: shareholders fund whatever would take the balance below zero (the
  // capex that debt does not cover, and any later shortfall) and receive the balance at each
  // deal year's end and at the horizon.
  void equity() {
    Num cash(0);
    for (int m = 0; m < horizon_; ++m) {
      cash += free_cash_flow_to_equity(ledger_, m);
      if (cash < 0) {
        at(Line::equity_contributed, m) = -cash;
        cash = 0;
      }
      if ((m % 12 == 11 || m == last()) && cash > 0) {
        at(Line::equity_distributed, m) = -cash;
        cash = 0;
      }
      at(Line::cash_balance, m) = cash;
    }
  }

  const deal::Deal& deal_;
  int horizon_;
  Ledger<Num> ledger_;
  Months month_zero_;
  Months output_vat_;
  Months capex_cash_;
  Months committed_units_;
  Months on_demand_used_units_;
  Months receivable_flows_;  // earned less due, by month
  Months deferred_flows_;    // prepayment received less applied, by month
  std::vector<CapexPayment<Num>> payments_;
  Num tax_gain_on_sale_;
  std::vector<deal::Date> month_starts_;  // the first day of each month, and of the month after the horizon
};

}  // namespace detail

template <num::Numeric Num>
Ledger<Num> project(const deal::Deal& deal) {
  return detail::Projection<Num>(deal).run();
}

}  // namespace leasecalc::engine
