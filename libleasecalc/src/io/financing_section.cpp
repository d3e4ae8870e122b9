// The `financing:` section of a model file (financing_section.hpp).

#include "financing_section.hpp"

#include "leasecalc/deal/credit_pricing.hpp"
#include "leasecalc/deal/fleet.hpp"
#include "leasecalc/num/rounding.hpp"
#include "leasecalc/time/date.hpp"
#include "leasecalc/time/day_count.hpp"

#include <algorithm>
#include <array>
#include <span>
#include <string>
#include <string_view>
#include <utility>

namespace leasecalc::io {

namespace {

using deal::Decimal;
using deal::total_capex;

constexpr auto financing_keys = std::to_array<std::string_view>(
    {"name", "kind", "share_of_capex", "amount", "rate", "compounding", "day_count", "term", "grace", "amortisation",
     "balloon", "upfront_fee", "commitment_fee", "maturity", "advance_rate", "sale", "repurchase", "swap", "finances",
     "rank", "sizing", "availability", "original_issue_discount"});
constexpr auto repurchase_keys = std::to_array<std::string_view>({"share_of_cost", "price"});
constexpr auto swap_keys = std::to_array<std::string_view>({"fixed_rate", "share", "start", "end"});
constexpr auto sizing_keys = std::to_array<std::string_view>({"target_dscr", "maximum_ltv", "collateral"});
constexpr auto floating_rate_keys = std::to_array<std::string_view>({"base", "margin", "floor", "margin_steps"});
constexpr auto base_curve_keys = std::to_array<std::string_view>({"curve"});
constexpr auto base_rate_point_keys = std::to_array<std::string_view>({"date", "rate"});
constexpr auto margin_step_keys = std::to_array<std::string_view>({"from", "margin"});

// A floating rate: `base` (a rate, or {curve: [{date, rate}, ...]} by rising date), `margin`,
// `floor` on the base and `margin_steps` ([{from, margin}, ...] by rising date).
deal::FloatingRate read_floating_rate(Object& object) {
  deal::FloatingRate floating;
  Field base = object.field("base");
  if (base.is_object()) {
    Object curve_object = base.as_object(base_curve_keys);
    for (Object point : curve_object.list_of_objects("curve", base_rate_point_keys)) {
      Field date_field = point.field("date");
      const Date date = date_field.as_date();
      if (!floating.base.empty() && date <= floating.base.back().date)
        date_field.fail_expected("a date after the previous point's (" + time::format_date(floating.base.back().date) +
                                 ")");
      floating.base.push_back({date, point.required_percent("rate", Range::annual_rate)});
      point.finish();
    }
    if (floating.base.empty()) curve_object.field("curve").fail_expected("at least one dated point");
    curve_object.finish();
  } else {
    floating.base.push_back({Date(1900, 1, 1), base.as_percent(Range::annual_rate)});  // flat: one point
  }
  // A margin, or a grid of margins by credit class (priced on the contracts financed).
  if (Field margin = object.field("margin"); margin.is_object()) {
    Object grid_object = margin.as_object(credit_class_keys);
    deal::MarginGrid grid;
    bool any = false;
    for (const auto& [name, credit] : deal::credit_class_names)
      if (std::optional<Decimal> entry = grid_object.optional_percent(name, Range::annual_rate)) {
        grid.margin[deal::index_of(credit)] = *entry;
        any = true;
      }
    grid_object.finish();
    if (!any) margin.fail_expected("a margin, or a margin for at least one credit class");
    floating.margin_grid = grid;
  } else {
    floating.margin = margin.as_percent(Range::annual_rate);
  }
  floating.floor = object.optional_percent("floor", 0, Range::annual_rate);
  for (Object step : object.optional_list_of_objects("margin_steps", margin_step_keys)) {
    Field from_field = step.field("from");
    const Date from = from_field.as_date();
    if (!floating.margin_steps.empty() && from <= floating.margin_steps.back().from)
      from_field.fail_expected("a date after the previous step's (" +
                               time::format_date(floating.margin_steps.back().from) + ")");
    floating.margin_steps.push_back({from, step.required_percent("margin", Range::annual_rate)});
    step.finish();
  }
  object.finish();
  return floating;
}

// The month of a sale-leaseback's sale: its `sale` date, or the last delivery's.
int sale_month(const deal::SaleLeaseback& terms, const DealFrame& frame, const deal::Cluster& cluster) {
  if (terms.sale) return frame.month_of(*terms.sale);
  return cluster.deliveries.empty() ? 0 : frame.month_of(cluster.deliveries.back().date);
}

// The share of the fleet (and so of its cost: every capex line follows the servers) delivered by
// the sale.
Decimal sold_share(const deal::SaleLeaseback& terms, const DealFrame& frame, const deal::Cluster& cluster) {
  if (cluster.deliveries.empty() || cluster.servers == 0) return 1;
  const int sale = sale_month(terms, frame, cluster);
  int sold = 0;
  for (const auto& delivery : cluster.deliveries)
    if (frame.month_of(delivery.date) <= sale) sold += delivery.servers;
  return Decimal(sold) / Decimal(cluster.servers);
}

// A sale-leaseback's `advance_rate`, `sale` and `repurchase` ({share_of_cost} or {price}); the
// repurchase at most the proceeds, so that the rents never add to what is owed.
deal::SaleLeaseback read_sale_leaseback(Object& object, const DealFrame& frame, const deal::Cluster& cluster,
                                        const Decimal& capex) {
  deal::SaleLeaseback terms;
  Field advance = object.field("advance_rate");
  terms.advance_rate = advance.as_percent();
  if (terms.advance_rate == 0) advance.fail_expected("an advance rate above 0%");
  if (std::optional<Field> sale = object.optional_field("sale")) {
    const Date date = sale->as_date();
    if (!frame.inside(date)) sale->fail_expected(frame.inside_expectation());
    terms.sale = date;
    const Date first_delivery = cluster.deliveries.empty() ? frame.start : cluster.deliveries.front().date;
    if (frame.month_of(date) < frame.month_of(first_delivery))
      sale->fail_expected("a sale in or after the month of the first delivery (" + time::format_date(first_delivery) +
                          "): there is no fleet to sell before it");
  }
  const Decimal proceeds = capex * sold_share(terms, frame, cluster) * terms.advance_rate;
  Object repurchase = object.object("repurchase", repurchase_keys);
  const std::string_view basis = exactly_one_of(repurchase, {"share_of_cost", "price"});
  Field price = repurchase.field(basis);
  if (basis == "share_of_cost") {
    terms.repurchase_share_of_cost = price.as_percent();
    if (*terms.repurchase_share_of_cost > terms.advance_rate)
      price.fail_expected("a repurchase price at most the proceeds: a share of cost up to the advance rate (" +
                          format_percent(terms.advance_rate) + ")");
  } else {
    terms.repurchase_price = price.as_amount_in(frame.currency);
    if (terms.repurchase_price > proceeds)
      price.fail_expected("a repurchase price at most the proceeds (" + format_decimal(num::round_to(proceeds, 2)) + " " +
                          frame.currency + ")");
  }
  repurchase.finish();
  return terms;
}


// `swap: {fixed_rate, share, start, end}` on a floating tranche; share 100%, the horizon by default.
deal::InterestRateSwap read_swap(Object object, const DealFrame& frame) {
  deal::InterestRateSwap swap;
  swap.fixed_rate = object.required_percent("fixed_rate", Range::annual_rate);
  if (std::optional<Field> share = object.optional_field("share")) {
    swap.share = share->as_percent();
    if (swap.share <= 0) share->fail_expected("a share above 0% and at most 100% of the balance");
  }
  swap.start = frame.start;
  swap.end = frame.horizon_end;
  if (std::optional<Field> start = object.optional_field("start")) {
    swap.start = start->as_date();
    if (!frame.inside(swap.start)) start->fail_expected(frame.inside_expectation());
  }
  if (std::optional<Field> end = object.optional_field("end")) {
    swap.end = end->as_date();
    if (swap.end <= swap.start || swap.end > frame.horizon_end)
      end->fail_expected("a date after the swap's start (" + time::format_date(swap.start) +
                         ") and not after the horizon's end (" + time::format_date(frame.horizon_end) + ")");
  }
  object.finish();
  return swap;
}

// `finances: [NAME, ...]`: take-or-pay contracts of the model, each named once.
std::vector<std::string> read_financed_contracts(const List& list, const std::vector<deal::Contract>& contracts) {
  std::vector<std::string> take_or_pay_names, names;
  for (const auto& contract : contracts)
    if (const auto* take_or_pay = std::get_if<deal::TakeOrPay>(&contract)) take_or_pay_names.push_back(take_or_pay->name);
  if (list.empty()) list.fail("expected at least one take-or-pay contract's name, got an empty list");
  for (const Field& item : list) {
    std::string name = item.as_string();
    if (std::ranges::find(take_or_pay_names, name) == take_or_pay_names.end())
      item.fail_expected("the name of a take-or-pay contract of the model (" +
                         (take_or_pay_names.empty() ? std::string("it has none") : text::join_alternatives(take_or_pay_names)) + ")");
    if (std::ranges::find(names, name) != names.end()) item.fail_expected("each contract named once");
    names.push_back(std::move(name));
  }
  return names;
}


// `sizing`: a target DSCR (above 0 and at most 10 times), a maximum LTV (above 0% and at most
// 100%) on the collateral (`book_value` or `residual_value`); at least one of the two.
deal::DebtSizing read_sizing(Object object) {
  deal::DebtSizing sizing;
  if (const std::optional<Field> dscr = object.optional_field("target_dscr")) {
    sizing.target_dscr = dscr->as_number();
    if (*sizing.target_dscr <= 0 || *sizing.target_dscr > 10)
      dscr->fail_expected("a ratio above 0 and at most 10, such as 1.30");
  }
  if (const std::optional<Field> ltv = object.optional_field("maximum_ltv")) {
    sizing.maximum_ltv = ltv->as_percent();
    if (*sizing.maximum_ltv <= 0) ltv->fail_expected("a percentage above 0% and at most 100%, such as 65%");
  }
  sizing.collateral = object.optional_enum<deal::Collateral>(
      "collateral", {{"book_value", deal::Collateral::book_value}, {"residual_value", deal::Collateral::residual_value}},
      deal::Collateral::book_value);
  if (!sizing.target_dscr && !sizing.maximum_ltv) object.fail("expected target_dscr, maximum_ltv or both");
  object.finish();
  return sizing;
}

}  // namespace

bool same_for_financing(const std::vector<deal::Contract>& a, const std::vector<deal::Contract>& b) {
  return std::ranges::equal(a, b, [](const deal::Contract& x, const deal::Contract& y) {
    const auto* lease_x = std::get_if<deal::TakeOrPay>(&x);
    const auto* lease_y = std::get_if<deal::TakeOrPay>(&y);
    if (!lease_x || !lease_y) return !lease_x && !lease_y;
    return lease_x->name == lease_y->name && deal::credit_class_of(*lease_x) == deal::credit_class_of(*lease_y);
  });
}

std::vector<deal::DebtTranche> read_financing(Object& root, const DealFrame& frame, const deal::Cluster& cluster,
                                              const std::vector<deal::Contract>& contracts) {
  std::vector<deal::DebtTranche> tranches;
  const Decimal capex = total_capex(cluster);
  Decimal debt_share = 0;  // of the capex, over the tranches so far
  int sale_leasebacks = 0;
  for (Object object : root.optional_list_of_objects("financing", financing_keys)) {
    using deal::Amortisation;
    deal::DebtTranche tranche;
    tranche.name = object.required_string("name");
    tranche.kind = object.optional_enum<deal::DebtTranche::Kind>(
        "kind",
        {{"term_loan", deal::DebtTranche::Kind::term_loan},
         {"finance_lease", deal::DebtTranche::Kind::finance_lease},
         {"sale_leaseback", deal::DebtTranche::Kind::sale_leaseback}},
        deal::DebtTranche::Kind::term_loan);
    const bool sale_leaseback = tranche.kind == deal::DebtTranche::Kind::sale_leaseback;

    std::optional<Field> sizing_field;
    if (sale_leaseback) {
      if (sale_leasebacks++ > 0) object.field("kind").fail("expected at most one sale-leaseback in a deal, got a second");
      for (std::string_view key : {"share_of_capex", "amount"})
        reject_key(object, key, "with kind sale_leaseback (its advance rate sizes the proceeds)");
      for (std::string_view key : {"sizing", "availability", "original_issue_discount"})
        reject_key(object, key, "with kind sale_leaseback (a sale of the fleet delivered by the sale)");
      Field advance = object.field("advance_rate");
      tranche.sale_leaseback = read_sale_leaseback(object, frame, cluster, capex);
      // The proceeds as a share of the whole capex: the fleet sold by the sale at the advance rate.
      debt_share += tranche.sale_leaseback->advance_rate * sold_share(*tranche.sale_leaseback, frame, cluster);
      sizing_field = advance;
    } else {
      for (std::string_view key : {"advance_rate", "sale", "repurchase"})
        reject_key(object, key, "unless kind is sale_leaseback");
      // Sized on the deal: share_of_capex and amount are optional caps, and the sizing keeps the
      // tranche within the cost it funds. Otherwise exactly one of them is the commitment.
      if (std::optional<Object> sizing_object = object.optional_object("sizing", sizing_keys)) {
        tranche.sizing = read_sizing(std::move(*sizing_object));
        if (std::ranges::any_of(tranches, [](const auto& other) { return other.sizing && other.sizing->target_dscr; }) &&
            tranche.sizing->target_dscr)
          object.field("sizing").fail_expected("one tranche sized on a target DSCR (the CFADS covers one sculpted loan)");
        if (std::optional<Field> share = object.optional_field("share_of_capex")) {
          tranche.share_of_capex = share->as_percent();
          if (tranche.share_of_capex <= 0) share->fail_expected("a share above 0% and at most 100% (a cap on the size)");
        }
        if (std::optional<Field> amount = object.optional_field("amount"))
          tranche.amount = amount->as_amount_in(frame.currency, Range::positive);
      } else {
        const std::string_view sizing = exactly_one_of(object, {"share_of_capex", "amount"});
        sizing_field = object.field(sizing);
        if (sizing == "share_of_capex") {
          tranche.share_of_capex = sizing_field->as_percent();
          debt_share += tranche.share_of_capex;
        } else {
          tranche.amount = sizing_field->as_amount_in(frame.currency, Range::positive);
          debt_share += capex > 0 ? tranche.amount / capex : Decimal(2);  // any debt exceeds a zero capex
        }
      }
    }
    if (sizing_field && debt_share > 1)
      sizing_field->fail("expected debt not above the capex (" + format_decimal(capex) + " " + frame.currency +
                         "), got tranches totalling " + format_percent(debt_share) + " of it");

    if (std::optional<List> financed = object.optional_list("finances"))
      tranche.finances = read_financed_contracts(*financed, contracts);
    Field rate = object.field("rate");
    if (rate.is_object()) {
      Object floating = rate.as_object(floating_rate_keys);
      tranche.floating = read_floating_rate(floating);
      if (tranche.floating->margin_grid) {
        try {
          tranche = deal::credit_priced(contracts, tranche);
        } catch (const std::invalid_argument&) {
          const deal::CreditClass credit = deal::financed_credit_class(contracts, tranche).value_or(deal::CreditClass::unrated);
          rate.as_object().field("margin").fail_expected(
              "a margin for " + std::string(deal::to_string(credit)) +
              ", the weakest credit class of the contracts the tranche finances (a contract with no credit is unrated)");
        }
      }
      tranche.annual_rate = deal::all_in_rate(*tranche.floating, frame.start);
    } else {
      tranche.annual_rate = rate.as_percent(Range::annual_rate);
    }
    if (std::optional<Object> swap = object.optional_object("swap", swap_keys)) {
      if (!tranche.floating)
        object.field("swap").fail("expected a swap on a floating rate only (it fixes the base rate), but the rate is fixed");
      tranche.swap = read_swap(*swap, frame);
    }
    tranche.compounding = object.optional_enum<deal::Compounding>(
        "compounding", {{"simple", deal::Compounding::simple}, {"annual", deal::Compounding::annual}},
        deal::Compounding::simple);
    if (std::optional<Field> day_count = object.optional_field("day_count")) {
      std::array<Choice<time::DayCount>, time::all_day_counts.size()> choices;
      for (std::size_t i = 0; i < choices.size(); ++i)
        choices[i] = {time::to_string(time::all_day_counts[i]), time::all_day_counts[i]};
      tranche.day_count = day_count->as_enum<time::DayCount>(std::span<const Choice<time::DayCount>>(choices));
    }
    tranche.term_months = object.required_months("term", Range::positive);
    if (std::optional<Field> grace = object.optional_field("grace")) {
      tranche.grace_months = grace->as_months();
      if (tranche.grace_months >= tranche.term_months)
        grace->fail_expected("a grace period shorter than the term (" + std::to_string(tranche.term_months) +
                             " months)");
    }
    if (sale_leaseback) {  // level rents to the repurchase price, from the sale: nothing else to choose
      for (std::string_view key : {"grace", "maturity", "amortisation", "balloon", "commitment_fee"})
        reject_key(object, key, "with kind sale_leaseback (its rents are level from the sale to the repurchase)");
      tranche.upfront_fee = object.optional_percent("upfront_fee", 0);
      object.finish();
      tranches.push_back(std::move(tranche));
      continue;
    }
    tranche.maturity = object.optional_enum<deal::Maturity>(
        "maturity", {{"common", deal::Maturity::common}, {"per_draw", deal::Maturity::per_draw}}, deal::Maturity::common);
    tranche.amortisation = object.optional_enum<Amortisation>("amortisation",
                                                              {{"annuity", Amortisation::annuity},
                                                               {"straight_line", Amortisation::straight_line},
                                                               {"bullet", Amortisation::bullet},
                                                               {"balloon", Amortisation::balloon},
                                                               {"sculpted", Amortisation::sculpted},
                                                               {"greater_of", Amortisation::greater_of}},
                                                              Amortisation::annuity);
    if (tranche.amortisation == Amortisation::balloon)
      tranche.balloon_share = object.required_percent("balloon");
    else
      reject_key(object, "balloon", "unless amortisation is balloon");
    if (tranche.amortisation == Amortisation::sculpted || tranche.amortisation == Amortisation::greater_of) {
      Field amortisation = object.field("amortisation");
      const bool greater_of = tranche.amortisation == Amortisation::greater_of;
      if (!tranche.sizing || !tranche.sizing->target_dscr || (greater_of && !tranche.sizing->maximum_ltv))
        amortisation.fail_expected(greater_of ? "sizing with a target_dscr and a maximum_ltv for greater_of amortisation"
                                              : "sizing with a target_dscr for sculpted amortisation");
      if (tranche.grace_months != 0)
        object.field("grace").fail_expected("no grace with " + std::string(greater_of ? "greater_of" : "sculpted") +
                                            " amortisation (every payment is sculpted)");
    }
    if (std::optional<Field> availability = object.optional_field("availability")) {
      tranche.availability_months = availability->as_months(Range::positive);
      if (*tranche.availability_months > limits::max_months)
        availability->fail_expected("an availability window of at most 600 months");
    }
    if (std::optional<Field> discount = object.optional_field("original_issue_discount")) {
      tranche.original_issue_discount = discount->as_percent();
      if (tranche.original_issue_discount >= Decimal("0.5"))
        discount->fail_expected("a discount below 50% of the face, such as 2%");
    }
    tranche.upfront_fee = object.optional_percent("upfront_fee", 0);
    tranche.commitment_fee = object.optional_percent("commitment_fee", 0, Range::annual_rate);
    if (std::optional<Field> rank = object.optional_field("rank")) {
      tranche.rank = rank->as_enum<deal::Rank>({{"senior", deal::Rank::senior}, {"junior", deal::Rank::junior}});
      if (tranche.rank == deal::Rank::junior &&
          std::ranges::any_of(tranches, [](const auto& t) { return t.rank == deal::Rank::junior; }))
        rank->fail("a model has at most one junior tranche");
    }
    object.finish();
    tranches.push_back(std::move(tranche));
  }
  return tranches;
}

}  // namespace leasecalc::io
