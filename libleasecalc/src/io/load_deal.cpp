// Model files to deals. The grammar of single values (amounts, percentages, durations) and the
// position-aware YAML reading live in io::Document; this file holds the schema of a model file
// and the rules that involve several fields (deliveries adding up, debt within capex, contracts
// within the fleet).

#include "leasecalc/io/load_deal.hpp"

#include "covenants_section.hpp"
#include "credit_section.hpp"
#include "financing_section.hpp"
#include "model_frame.hpp"
#include "structures_section.hpp"
#include "waterfall_section.hpp"
#include "leasecalc/deal/fleet.hpp"
#include "leasecalc/fin/depreciation.hpp"
#include "leasecalc/io/document.hpp"
#include "leasecalc/io/load_uncertainty.hpp"
#include "leasecalc/num/rounding.hpp"
#include "leasecalc/time/date.hpp"
#include "leasecalc/time/day_count.hpp"
#include "wording.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace leasecalc::io {

namespace {

using deal::Curve;
using deal::Decimal;

// ---- the keys each map takes (named when something else is written where the map belongs) ----

constexpr auto curve_point_keys = std::to_array<std::string_view>({"month", "value"});
constexpr auto sku_keys = std::to_array<std::string_view>(
    {"name", "description", "unit", "gpus_per_unit", "list_price", "load_power", "idle_power"});
constexpr auto deal_keys = std::to_array<std::string_view>({"name", "currency", "start", "horizon", "discount_rate", "distributions"});
constexpr auto cluster_keys = std::to_array<std::string_view>(
    {"sku", "servers", "price_per_server", "price_includes_vat", "capex_vat_rate", "spares", "extra_capex", "deliveries",
     "annual_failure_rate", "replacement_cost"});
constexpr auto extra_capex_keys = std::to_array<std::string_view>({"name", "amount", "share_of_servers"});
constexpr auto delivery_keys = std::to_array<std::string_view>({"date", "servers"});
constexpr auto contract_keys = std::to_array<std::string_view>({"take_or_pay", "on_demand"});
constexpr auto take_or_pay_keys = std::to_array<std::string_view>(
    {"name", "servers", "gpus", "price", "start", "term", "ramp", "prepayment", "billing", "escalator", "sla",
     "early_termination", "expected_credit_loss", "vat_rate", "re_lease", "credit", "default"});
constexpr auto customer_default_keys = std::to_array<std::string_view>({"after", "date", "re_lease_after"});
constexpr auto prepayment_keys = std::to_array<std::string_view>({"share", "applied"});
constexpr auto billing_keys = std::to_array<std::string_view>({"frequency", "timing"});
constexpr auto sla_keys = std::to_array<std::string_view>({"target", "expected", "credits"});
constexpr auto sla_credit_keys = std::to_array<std::string_view>({"below", "credit"});
constexpr auto early_termination_keys = std::to_array<std::string_view>({"after", "fee"});
constexpr auto re_lease_keys =
    std::to_array<std::string_view>({"mode", "market_price", "price_decay", "decay_from", "discount", "term", "utilisation"});
constexpr auto on_demand_keys = std::to_array<std::string_view>(
    {"name", "servers", "gpus", "start", "end", "price", "price_history", "price_decay", "utilisation", "bad_debt",
     "vat_rate"});
constexpr auto price_point_keys = std::to_array<std::string_view>({"date", "price"});
constexpr auto running_costs_keys = std::to_array<std::string_view>({"electricity", "data_centre", "other"});
constexpr auto electricity_keys =
    std::to_array<std::string_view>({"tariff", "pue", "paid_by", "take_or_pay_load", "escalator"});
constexpr auto data_centre_keys = std::to_array<std::string_view>({"rent", "servers_per_rack", "escalator"});
constexpr auto running_cost_keys = std::to_array<std::string_view>(
    {"name", "amount", "share_of_hardware", "per_gpu_month", "share_of_revenue", "rented_gpus", "escalator"});
constexpr auto rented_gpus_keys = std::to_array<std::string_view>({"gpus", "price", "utilisation"});
constexpr auto lessee_keys = std::to_array<std::string_view>({"name", "discount_rate", "costs_borne_either_way"});
constexpr auto guarantees_keys = std::to_array<std::string_view>({"residual_value", "capacity_backstop"});
constexpr auto covenants_keys = std::to_array<std::string_view>(
    {"frequency", "first_test", "look_back", "minimum_dscr", "maximum_ltv", "minimum_contract_fulfilment",
     "maximum_customer_share", "on_breach"});
constexpr auto waterfall_keys =
    std::to_array<std::string_view>({"debt_service_reserve", "cash_sweep", "lock_up_dscr", "lock_up_cash"});
constexpr auto depreciation_keys = std::to_array<std::string_view>({"book", "tax", "residual"});
constexpr auto depreciation_method_keys =
    std::to_array<std::string_view>({"method", "life", "salvage", "factor", "class", "convention", "bonus"});
constexpr auto residual_keys = std::to_array<std::string_view>({"curve", "floor", "decay"});
constexpr auto residual_point_keys = std::to_array<std::string_view>({"age", "share"});
constexpr auto tax_keys =
    std::to_array<std::string_view>({"income_tax", "loss_carry_forward", "loss_offset_cap", "fiscal_year_start",
                                     "advance_payments", "vat"});
constexpr auto vat_keys = std::to_array<std::string_view>({"refund", "refund_month", "refund_share", "convention", "sale_rate"});

// ---- curves ------------------------------------------------------------------------------------

// A share that may vary: `70%`, or `[{month: 0, value: 40%}, {month: 12, value: 75%}]`.
Curve read_share_curve(const Field& field) {
  if (field.is_scalar()) return Curve::constant(field.as_percent());
  const List points = field.as_list();
  if (points.empty()) points.fail("expected a share such as \"70%\" or a list of {month, value} points, got an empty list");
  Curve curve;
  for (const Field& item : points) {
    Object point = item.as_object(curve_point_keys);
    Field month_field = point.field("month");
    const int month = month_field.as_count(Range::non_negative);
    const Decimal value = point.required_percent("value");
    point.finish();
    if (!curve.points.empty() && month <= curve.points.back().month)
      month_field.fail_expected("a month after the previous point's (" +
                                std::to_string(curve.points.back().month) + ")");
    curve.points.push_back({month, value});
  }
  return curve;
}

// ---- catalogue ---------------------------------------------------------------------------------

Catalogue read_catalogue(const Document& document) {
  Object root = document.root();
  Catalogue catalogue{document.file(), {}};
  for (Object entry : root.list_of_objects("skus", sku_keys)) {
    deal::Sku sku;
    Field name_field = entry.field("name");
    sku.name = name_field.as_string();
    for (const deal::Sku& earlier : catalogue.skus)
      if (earlier.name == sku.name) name_field.fail_expected("a name not used by an earlier entry");
    sku.description = entry.required_string("description");
    sku.unit_kind = entry.required_enum<deal::UnitKind>(
        "unit", {{"server", deal::UnitKind::server}, {"rack", deal::UnitKind::rack}});
    sku.gpus_per_unit = entry.required_count("gpus_per_unit");
    Field price_field = entry.field("list_price");
    const Money list_price = price_field.as_money();
    if (list_price.currency.empty()) price_field.fail_expected("an amount naming its currency, such as \"2.6M CNY\"");
    sku.list_price = list_price.amount;
    sku.currency = list_price.currency;
    sku.kw_load = entry.required_power_kw("load_power", Range::positive);
    Field idle_field = entry.field("idle_power");
    sku.kw_idle = idle_field.as_power_kw();
    if (sku.kw_idle > sku.kw_load)
      idle_field.fail_expected("a power not above load_power (" + format_decimal(sku.kw_load) + " kW)");
    entry.finish();
    catalogue.skus.push_back(std::move(sku));
  }
  root.finish();
  return catalogue;
}

// ---- deal --------------------------------------------------------------------------------------

DealFrame frame_of(const deal::Deal& deal) {
  return DealFrame{deal.currency, deal.start, deal.horizon_months,
                   time::add_months(deal.start, deal.horizon_months, time::EndOfMonth::off)};
}

DealFrame read_deal_head(Object head, deal::Deal& deal) {
  deal.name = head.required_string("name");
  deal.currency = head.required_currency("currency");
  deal.start = head.required_date("start");
  deal.horizon_months = head.required_months("horizon", Range::positive);
  deal.discount_rate = head.optional_percent("discount_rate", 0, Range::annual_rate);
  deal.distributions = head.optional_enum<time::Frequency>(
      "distributions",
      {{"monthly", time::Frequency::monthly}, {"quarterly", time::Frequency::quarterly}, {"yearly", time::Frequency::annual}},
      time::Frequency::monthly);
  head.finish();
  return frame_of(deal);
}

const deal::Sku& find_sku(const Field& sku_field, const Catalogue& catalogue) {
  const std::string name = sku_field.as_string();
  std::vector<std::string> known;
  for (const deal::Sku& sku : catalogue.skus) {
    if (sku.name == name) return sku;
    known.push_back(sku.name);
  }
  std::string detail = "expected a SKU from " + catalogue.source + " (" + text::join_alternatives(known) +
                       "), got \"" + name + "\"";
  if (const std::optional<std::string> meant = text::closest_match(name, known))
    detail += "; did you mean \"" + *meant + "\"?";
  sku_field.fail(detail);
}

// The cluster's capex as paid: the ceiling for debt.
using deal::total_capex;

deal::Cluster read_cluster(Object cluster_object, const DealFrame& frame, const Catalogue& catalogue) {
  deal::Cluster cluster;
  Field sku_field = cluster_object.field("sku");
  cluster.sku = find_sku(sku_field, catalogue);
  // Zero servers: a company that owns no hardware (it rents compute, see `rented_gpus`).
  cluster.servers = cluster_object.required_count("servers", Range::non_negative);
  if (std::optional<Field> price = cluster_object.optional_field("price_per_server")) {
    cluster.price_per_server = price->as_amount_in(frame.currency);
  } else if (cluster.sku.currency != frame.currency) {
    sku_field.fail("expected a SKU listed in " + frame.currency + " (the deal's currency) or a price_per_server in " +
                   frame.currency + ", got \"" + cluster.sku.name + "\", listed at " +
                   format_decimal(cluster.sku.list_price) + " " + cluster.sku.currency);
  } else {
    cluster.price_per_server = cluster.sku.list_price;
  }
  cluster.price_includes_vat = cluster_object.optional_bool("price_includes_vat", false);
  cluster.capex_vat_rate = cluster_object.optional_percent("capex_vat_rate", 0, Range::fraction);
  cluster.spares_share = cluster_object.optional_percent("spares", 0);

  if (cluster.servers == 0) reject_key(cluster_object, "extra_capex", "when cluster.servers is 0 (no owned hardware)");
  for (Object item : cluster_object.optional_list_of_objects("extra_capex", extra_capex_keys)) {
    deal::ExtraCapex extra;
    extra.name = item.required_string("name");
    if (exactly_one_of(item, {"amount", "share_of_servers"}) == "amount")
      extra.amount = item.required_amount_in("amount", frame.currency);
    else
      extra.share_of_servers = item.required_percent("share_of_servers");
    item.finish();
    cluster.extra_capex.push_back(std::move(extra));
  }

  if (std::optional<List> deliveries = cluster_object.optional_list("deliveries")) {
    std::int64_t delivered = 0;  // counts are bounded, but a list of them may be long: no wraparound
    for (const Field& item : *deliveries) {
      Object delivery = item.as_object(delivery_keys);
      Field date_field = delivery.field("date");
      const Date date = date_field.as_date();
      if (!frame.inside(date)) date_field.fail_expected(frame.inside_expectation());
      if (!cluster.deliveries.empty() && date < cluster.deliveries.back().date)
        date_field.fail_expected("a date on or after the previous delivery's (" +
                                 time::format_date(cluster.deliveries.back().date) + ")");
      const int servers = delivery.required_count("servers");
      delivery.finish();
      delivered += servers;
      cluster.deliveries.push_back({date, servers});
    }
    if (delivered != cluster.servers)
      deliveries->fail("expected deliveries adding up to cluster.servers (" + std::to_string(cluster.servers) +
                       "), got " + std::to_string(delivered));
  } else {
    cluster.deliveries.push_back({frame.start, cluster.servers});
  }

  cluster.annual_failure_rate = cluster_object.optional_percent("annual_failure_rate", 0);
  cluster.replacement_cost = cluster_object.optional_amount_in("replacement_cost", frame.currency, 0);
  cluster_object.finish();
  return cluster;
}

// ---- contracts ---------------------------------------------------------------------------------

Date read_contract_start(Object& contract, const DealFrame& frame) {
  Field start_field = contract.field("start");
  const Date start = start_field.as_date();
  if (!frame.inside(start)) start_field.fail_expected(frame.inside_expectation());
  return start;
}

deal::ReLease read_re_lease(Object object, const DealFrame& frame, const deal::Sku& sku, const Decimal& vat_rate) {
  deal::ReLease re_lease;
  using Mode = deal::ReLease::Mode;
  re_lease.mode = object.required_enum<Mode>(
      "mode", {{"idle", Mode::idle}, {"on_demand", Mode::on_demand}, {"follow_on", Mode::follow_on}});
  if (re_lease.mode == Mode::idle) reject_key(object, "market_price", "unless mode is on_demand or follow_on");
  else if (std::optional<Field> market_price = object.optional_field("market_price"))
    re_lease.market_price = read_rental_price(*market_price, frame, sku, vat_rate);
  re_lease.annual_price_decay = object.optional_percent("price_decay", 0);
  re_lease.decay_from = object.optional_enum<deal::ReLease::DecayFrom>(
      "decay_from", {{"signing", deal::ReLease::DecayFrom::signing}, {"expiry", deal::ReLease::DecayFrom::expiry}},
      deal::ReLease::DecayFrom::signing);
  if (re_lease.mode == Mode::follow_on) {
    re_lease.price_discount = object.optional_percent("discount", 0);
    re_lease.follow_on_term_months = object.required_months("term", Range::positive);
  } else {
    reject_key(object, "discount", "unless mode is follow_on");
    reject_key(object, "term", "unless mode is follow_on");
  }
  if (re_lease.mode == Mode::on_demand) {
    if (std::optional<Field> utilisation = object.optional_field("utilisation"))
      re_lease.utilisation = read_share_curve(*utilisation);
  } else {
    reject_key(object, "utilisation", "unless mode is on_demand");
  }
  object.finish();
  return re_lease;
}

deal::Sla read_sla(Object object) {
  deal::Sla sla;
  sla.availability_target = object.required_percent("target");
  sla.expected_availability = object.required_percent("expected");
  for (Object tier : object.optional_list_of_objects("credits", sla_credit_keys)) {
    const Decimal below = tier.required_percent("below");
    const Decimal credit = tier.required_percent("credit");
    tier.finish();
    sla.credits.push_back({below, credit});
  }
  // The engine reads the tiers highest threshold first.
  std::stable_sort(sla.credits.begin(), sla.credits.end(),
                   [](const auto& a, const auto& b) { return a.availability_below > b.availability_below; });
  object.finish();
  return sla;
}

// A contract's units: `servers: N`, or `gpus: N` for a commitment in GPUs (whole servers' worth).
std::pair<Field, int> read_contract_units(Object& object, int gpus_per_unit) {
  if (object.has("gpus")) {
    if (object.has("servers")) object.field("servers").fail("give servers or gpus, not both");
    Field gpus = object.field("gpus");
    const int count = gpus.as_count();
    if (count % gpus_per_unit != 0)
      gpus.fail_expected("a whole number of servers' GPUs (a multiple of " + std::to_string(gpus_per_unit) + ")");
    return {gpus, count / gpus_per_unit};
  }
  Field servers = object.field("servers");
  const int count = servers.as_count();
  return {servers, count};
}

deal::TakeOrPay read_take_or_pay(Object object, const DealFrame& frame, const deal::Sku& sku,
                                 std::vector<Field>& servers_fields) {
  using deal::TakeOrPay;
  TakeOrPay contract;
  contract.name = object.required_string("name");
  const auto [servers_field, servers] = read_contract_units(object, sku.gpus_per_unit);
  contract.servers = servers;
  contract.vat_rate = object.optional_percent("vat_rate", 0, Range::fraction);
  contract.price = read_rental_price(object.field("price"), frame, sku, contract.vat_rate);
  contract.start = read_contract_start(object, frame);
  Field term_field = object.field("term");
  contract.term_months = term_field.as_months(Range::positive);
  if (contract.term_months > limits::max_lease_months)
    term_field.fail_expected("a lease term of at most " + std::to_string(limits::max_lease_months) +
                             " months (30 years, beyond any GPU's useful life)");
  if (std::optional<Field> ramp = object.optional_field("ramp")) {
    contract.ramp_months = ramp->as_months();
    if (contract.ramp_months > contract.term_months)
      ramp->fail_expected("a ramp not longer than the term (" + std::to_string(contract.term_months) + " months)");
  }
  if (std::optional<Object> prepayment = object.optional_object("prepayment", prepayment_keys)) {
    contract.prepayment_share = prepayment->required_percent("share");
    contract.prepayment_application = prepayment->optional_enum<deal::PrepaymentApplication>(
        "applied",
        {{"first_invoices", deal::PrepaymentApplication::credit_first_invoices},
         {"spread_over_term", deal::PrepaymentApplication::spread_over_term}},
        deal::PrepaymentApplication::credit_first_invoices);
    prepayment->finish();
  }
  if (std::optional<Object> billing = object.optional_object("billing", billing_keys)) {
    contract.billing = billing->optional_enum<time::Frequency>(
        "frequency", {{"monthly", time::Frequency::monthly}, {"quarterly", time::Frequency::quarterly}},
        time::Frequency::monthly);
    contract.timing = billing->optional_enum<time::PaymentTiming>(
        "timing", {{"advance", time::PaymentTiming::in_advance}, {"arrears", time::PaymentTiming::in_arrears}},
        time::PaymentTiming::in_advance);
    billing->finish();
  }
  contract.escalator.annual_rate = object.optional_percent("escalator", 0, Range::annual_rate);
  if (std::optional<Object> sla = object.optional_object("sla", sla_keys)) contract.sla = read_sla(*sla);
  if (std::optional<Object> termination = object.optional_object("early_termination", early_termination_keys)) {
    Field after_field = termination->field("after");
    deal::EarlyTermination early{after_field.as_months(Range::positive), 0};
    if (early.after_months >= contract.term_months)
      after_field.fail_expected("a duration shorter than the term (" + std::to_string(contract.term_months) +
                                " months)");
    early.fee_months = termination->required_months("fee");
    termination->finish();
    contract.early_termination = early;
  }
  contract.expected_credit_loss = object.optional_percent("expected_credit_loss", 0);
  if (std::optional<Object> re_lease = object.optional_object("re_lease", re_lease_keys))
    contract.re_lease = read_re_lease(*re_lease, frame, sku, contract.vat_rate);
  if (std::optional<Field> credit = object.optional_field("credit")) contract.credit = read_credit_class(*credit);
  if (std::optional<Object> failed = object.optional_object("default", customer_default_keys)) {
    if (contract.early_termination)
      object.field("default").fail("expected either early_termination or default, got both (a default is the "
                                   "customer's exit without its fee)");
    contract.customer_default = read_customer_default(*failed, frame, contract);
  }
  object.finish();
  servers_fields.push_back(servers_field);
  return contract;
}

deal::OnDemand read_on_demand(Object object, const DealFrame& frame, const deal::Sku& sku,
                              std::vector<Field>& servers_fields) {
  deal::OnDemand contract;
  contract.name = object.required_string("name");
  const auto [servers_field, servers] = read_contract_units(object, sku.gpus_per_unit);
  contract.servers = servers;
  contract.start = read_contract_start(object, frame);
  if (std::optional<Field> end_field = object.optional_field("end")) {
    const Date end = end_field->as_date();
    if (end <= contract.start || end > frame.horizon_end)
      end_field->fail_expected("a date after the start (" + time::format_date(contract.start) +
                               ") and not after the horizon's end (" + time::format_date(frame.horizon_end) + ")");
    contract.end = end;
  }

  contract.vat_rate = object.optional_percent("vat_rate", 0, Range::fraction);
  // The curve holds prices without VAT, per unit-month.
  const auto net_price = [&](const Field& field) {
    return deal::unit_month_price(deal::net_of_vat(read_rental_price(field, frame, sku, contract.vat_rate), contract.vat_rate), sku);
  };
  if (exactly_one_of(object, {"price", "price_history"}) == "price") {
    contract.price = Curve::constant(net_price(object.field("price")));
  } else {
    const List history = object.list("price_history");
    if (history.empty()) history.fail("expected at least one {date, price} point, got an empty list");
    Date previous;
    for (const Field& item : history) {
      Object point = item.as_object(price_point_keys);
      Field date_field = point.field("date");
      const Date date = date_field.as_date();
      const int month = frame.month_of(date);
      if (!contract.price.points.empty() && month <= contract.price.points.back().month)
        date_field.fail_expected("a date at least a month after the previous point's (" +
                                 time::format_date(previous) + ")");
      const Decimal price = net_price(point.field("price"));
      point.finish();
      contract.price.points.push_back({month, price});
      previous = date;
    }
  }
  contract.annual_price_decay = object.optional_percent("price_decay", 0);
  if (std::optional<Field> utilisation = object.optional_field("utilisation"))
    contract.utilisation = read_share_curve(*utilisation);
  contract.bad_debt = object.optional_percent("bad_debt", 0);
  object.finish();
  servers_fields.push_back(servers_field);
  return contract;
}

// At no month may the contracts in force hold more servers than the fleet; the contract that
// first tips a month over is the one reported (deal::first_fleet_overrun, the bound Monte Carlo
// draws are held to as well).
void check_fleet(const deal::Deal& deal, const std::vector<Field>& servers_fields) {
  if (const std::optional<deal::FleetOverrun> overrun = deal::first_fleet_overrun(deal))
    servers_fields[overrun->contract].fail(
        "expected contracts holding at most cluster.servers (" + std::to_string(deal.cluster.servers) +
        ") at any time, got " + format_decimal(overrun->servers_held) + " in the month from " +
        time::format_date(time::add_months(deal.start, overrun->month, time::EndOfMonth::off)));
}

std::vector<deal::Contract> read_contracts(Object& root, const DealFrame& frame, const deal::Cluster& cluster,
                                           std::vector<Field>& servers_fields) {
  std::vector<deal::Contract> contracts;
  if (std::optional<List> list = root.optional_list("contracts")) {
    for (const Field& item : *list) {
      Object wrapper = item.as_object(contract_keys);
      // Unknown keys first, so that a misspelt kind is reported as such rather than as missing.
      (void)present_keys(wrapper, {"take_or_pay", "on_demand"});
      wrapper.finish();
      if (exactly_one_of(wrapper, {"take_or_pay", "on_demand"}) == "take_or_pay")
        contracts.emplace_back(read_take_or_pay(wrapper.object("take_or_pay", take_or_pay_keys), frame, cluster.sku, servers_fields));
      else
        contracts.emplace_back(
            read_on_demand(wrapper.object("on_demand", on_demand_keys), frame, cluster.sku, servers_fields));
    }
  }
  return contracts;
}

// ---- running costs -----------------------------------------------------------------------------

deal::Electricity read_electricity(Object object, const DealFrame& frame) {
  deal::Electricity electricity;
  Field tariff_field = object.field("tariff");
  const deal::Price tariff = tariff_field.as_price({deal::PriceUnit::kwh, deal::PriceUnit::mwh});
  require_currency(tariff_field, tariff.currency, frame.currency);
  electricity.tariff_per_kwh = tariff.unit == deal::PriceUnit::mwh ? tariff.amount / 1000 : tariff.amount;
  Field pue_field = object.field("pue");
  electricity.pue = pue_field.as_number();
  // Facility power over IT power: 1 at best; the least efficient halls in service run near 2.5.
  if (electricity.pue < 1 || electricity.pue > 3)
    pue_field.fail_expected("a PUE from 1 to 3 (facility power over IT power)");
  electricity.paid_by_customer =
      object.optional_enum<bool>("paid_by", {{"operator", false}, {"customer", true}}, false);
  electricity.take_or_pay_load = object.optional_percent("take_or_pay_load", 1);
  electricity.escalator.annual_rate = object.optional_percent("escalator", 0, Range::annual_rate);
  object.finish();
  return electricity;
}

deal::DataCentre read_data_centre(Object object, const DealFrame& frame) {
  deal::DataCentre data_centre;
  Field rent_field = object.field("rent");
  const deal::Price rent = rent_field.as_price({deal::PriceUnit::kw_month, deal::PriceUnit::rack_month});
  require_currency(rent_field, rent.currency, frame.currency);
  data_centre.price = rent.amount;
  if (rent.unit == deal::PriceUnit::rack_month) {
    data_centre.basis = deal::DataCentre::Basis::per_rack_month;
    data_centre.units_per_rack = object.required_count("servers_per_rack");  // whole servers
  } else {
    data_centre.basis = deal::DataCentre::Basis::per_kw_month;
    reject_key(object, "servers_per_rack", "with a rent per kW-month");
  }
  data_centre.escalator.annual_rate = object.optional_percent("escalator", 0, Range::annual_rate);
  object.finish();
  return data_centre;
}

deal::RunningCost read_running_cost(Object object, const DealFrame& frame) {
  using Basis = deal::RunningCost::Basis;
  deal::RunningCost cost;
  cost.name = object.required_string("name");
  const std::string_view basis =
      exactly_one_of(object, {"amount", "share_of_hardware", "per_gpu_month", "share_of_revenue", "rented_gpus"});
  if (basis == "rented_gpus") {
    // {gpus, price, utilisation}: compute rented in, paid per GPU-month for the share used.
    Object rented = object.object("rented_gpus", rented_gpus_keys);
    cost.basis = Basis::rented_gpu_month;
    cost.rented_gpus = rented.required_count("gpus");
    Field price_field = rented.field("price");
    const deal::Price price = price_field.as_price({deal::PriceUnit::gpu_hour, deal::PriceUnit::gpu_month});
    require_currency(price_field, price.currency, frame.currency);
    cost.value = price.unit == deal::PriceUnit::gpu_hour ? price.amount * deal::hours_per_month : price.amount;
    if (std::optional<Field> utilisation = rented.optional_field("utilisation"))
      cost.utilisation = read_share_curve(*utilisation);
    rented.finish();
  } else if (basis == "amount") {
    cost.basis = Basis::per_year;
    cost.value = object.required_amount_in("amount", frame.currency);
  } else if (basis == "share_of_hardware") {
    cost.basis = Basis::share_of_hardware_per_year;
    cost.value = object.required_percent("share_of_hardware");
  } else if (basis == "per_gpu_month") {
    cost.basis = Basis::per_gpu_month;
    cost.value = object.required_amount_in("per_gpu_month", frame.currency);
  } else {
    cost.basis = Basis::share_of_revenue;
    cost.value = object.required_percent("share_of_revenue");
  }
  cost.escalator.annual_rate = object.optional_percent("escalator", 0, Range::annual_rate);
  object.finish();
  return cost;
}

deal::RunningCosts read_running_costs(std::optional<Object> object, const DealFrame& frame) {
  deal::RunningCosts costs;
  if (!object) return costs;
  if (std::optional<Object> electricity = object->optional_object("electricity", electricity_keys))
    costs.electricity = read_electricity(*electricity, frame);
  if (std::optional<Object> data_centre = object->optional_object("data_centre", data_centre_keys))
    costs.data_centre = read_data_centre(*data_centre, frame);
  for (Object item : object->optional_list_of_objects("other", running_cost_keys)) costs.others.push_back(read_running_cost(item, frame));
  object->finish();
  return costs;
}

// ---- depreciation ------------------------------------------------------------------------------

void read_bonus(Object& object, deal::Depreciation& depreciation, bool for_tax) {
  if (!for_tax) {
    reject_key(object, "bonus", "in book depreciation (bonus depreciation is a tax deduction; give depreciation.tax)");
    return;
  }
  const std::optional<Field> bonus = object.optional_field("bonus");
  if (!bonus) return;
  depreciation.bonus_share = bonus->as_percent();
  if (depreciation.bonus_share + depreciation.salvage_share > 1)
    bonus->fail_expected("a bonus share that leaves room for the salvage (bonus + salvage at most 100%)");
}

// `bonus` (tax only) is read here too, so that the key is accepted where it may stand.
deal::Depreciation read_depreciation_method(Object object, bool for_tax) {
  enum class Method { straight_line, declining_balance, double_declining, sum_of_years_digits, macrs };
  const Method method = object.required_enum<Method>("method", {{"straight_line", Method::straight_line},
                                                                {"declining_balance", Method::declining_balance},
                                                                {"double_declining", Method::double_declining},
                                                                {"sum_of_years_digits", Method::sum_of_years_digits},
                                                                {"macrs", Method::macrs}});
  deal::Depreciation depreciation;
  if (method == Method::macrs) {
    reject_key(object, "life", "with method macrs (its class sets the life)");
    reject_key(object, "salvage", "with method macrs (it depreciates the whole cost)");
    reject_key(object, "factor", "unless method is declining_balance");
    Field class_field = object.field("class");
    const int class_months = class_field.as_months(Range::positive);
    constexpr std::array recovery_classes{3, 5, 7, 10, 15, 20};
    if (class_months % 12 != 0 ||
        std::find(recovery_classes.begin(), recovery_classes.end(), class_months / 12) == recovery_classes.end())
      class_field.fail_expected("a MACRS recovery class of 3, 5, 7, 10, 15 or 20 years");
    // half_year and mid_quarter are the names `calc macrs` takes too (fin::macrs_convention_named).
    using Convention = deal::Macrs::Convention;
    const Convention convention = object.optional_enum<Convention>(
        "convention",
        {{"forty_percent_test", Convention::forty_percent_test},
         {fin::macrs_half_year_name, Convention::half_year},
         {fin::macrs_mid_quarter_name, Convention::mid_quarter}},
        Convention::forty_percent_test);
    depreciation.method = deal::Macrs{class_months / 12, convention};
    read_bonus(object, depreciation, for_tax);
    object.finish();
    return depreciation;
  }
  reject_key(object, "class", "unless method is macrs");
  reject_key(object, "convention", "unless method is macrs");
  switch (method) {
    case Method::declining_balance:
      depreciation.method = deal::DecliningBalance{object.required_number("factor", Range::positive)};
      break;
    case Method::double_declining: depreciation.method = deal::DecliningBalance{2}; break;
    case Method::sum_of_years_digits: depreciation.method = deal::SumOfYearsDigits{}; break;
    default: depreciation.method = deal::StraightLine{}; break;
  }
  if (method != Method::declining_balance) reject_key(object, "factor", "unless method is declining_balance");
  depreciation.life_months = object.required_months("life", Range::positive);
  depreciation.salvage_share = object.optional_percent("salvage", 0);
  read_bonus(object, depreciation, for_tax);
  object.finish();
  return depreciation;
}

// `residual: 30% after 36 months`: one point of a used-value curve that starts from new, the
// curve [{age: 0 months, share: 100%}, {age: 36 months, share: 30%}] (linear between, held after).
deal::Residual residual_at_age(const Field& field) {
  const ShareAtAge point = field.as_share_at_age();
  return deal::ResidualCurve{deal::Curve{{{0, Decimal(1)}, {point.age_months, point.share}}}};
}

deal::Residual read_residual(const Field& field) {
  if (field.is_scalar() && field.as_string().find("after") != std::string::npos) return residual_at_age(field);
  if (field.is_scalar()) return deal::ResidualShare{field.as_percent()};
  Object object = field.as_object(residual_keys);
  const bool curve = object.has("curve");
  const bool floor = object.has("floor");
  const bool decay = object.has("decay");
  if (curve && (floor || decay))
    object.field(floor ? "floor" : "decay")
        .fail("expected either curve or {floor, decay}, got both curve and " + std::string(floor ? "floor" : "decay"));
  if (curve) {
    deal::ResidualCurve residual;
    const List points = object.list("curve");
    if (points.empty()) points.fail("expected at least one {age, share} point, got an empty list");
    for (const Field& item : points) {
      Object point = item.as_object(residual_point_keys);
      Field age_field = point.field("age");
      const int age = age_field.as_months();
      if (!residual.share_by_age.points.empty() && age <= residual.share_by_age.points.back().month)
        age_field.fail_expected("an age after the previous point's (" +
                                std::to_string(residual.share_by_age.points.back().month) + " months)");
      residual.share_by_age.points.push_back({age, point.required_percent("share")});
      point.finish();
    }
    object.finish();
    return residual;
  }
  deal::ResidualExponential residual{object.required_percent("floor"),
                                     object.required_percent("decay", Range::annual_rate)};
  object.finish();
  return residual;
}

deal::AssetPolicy read_asset_policy(Object object) {
  deal::AssetPolicy policy;
  policy.book = read_depreciation_method(object.object("book", depreciation_method_keys), false);
  if (std::optional<Object> tax = object.optional_object("tax", depreciation_method_keys))
    policy.tax = read_depreciation_method(*tax, true);
  else
    policy.tax = policy.book;
  if (std::optional<Field> residual = object.optional_field("residual")) policy.residual = read_residual(*residual);
  object.finish();
  return policy;
}

// ---- tax ---------------------------------------------------------------------------------------

deal::Tax read_tax(Object object, const DealFrame& frame) {
  deal::Tax tax;
  tax.income.rate = object.required_percent("income_tax");
  if (std::optional<Field> carry = object.optional_field("loss_carry_forward")) {
    const int months = carry->as_months();
    if (months % 12 != 0) carry->fail_expected("a whole number of years, such as \"5 years\"");
    tax.income.loss_carry_forward_years = months / 12;
  }
  tax.income.loss_offset_cap = object.optional_percent("loss_offset_cap", 1);
  tax.income.fiscal_year_start_month = object.optional_enum<int>(
      "fiscal_year_start", {{"january", 1}, {"february", 2}, {"march", 3}, {"april", 4}, {"may", 5}, {"june", 6},
                            {"july", 7}, {"august", 8}, {"september", 9}, {"october", 10}, {"november", 11},
                            {"december", 12}}, 1);
  // Unset, the rule follows the deal's currency (deal::advance_payments_rule).
  using AdvancePayments = deal::IncomeTax::AdvancePayments;
  tax.income.advance_payments = object.optional_enum<AdvancePayments>(
      "advance_payments", {{"as_earned", AdvancePayments::as_earned},
                           {"deferral", AdvancePayments::deferral},
                           {"as_received", AdvancePayments::as_received}});
  if (std::optional<Object> vat = object.optional_object("vat", vat_keys)) {
    using Refund = deal::Vat::Refund;
    tax.vat.refund = vat->optional_enum<Refund>(
        "refund", {{"none", Refund::none}, {"annual", Refund::annual}, {"once", Refund::once}}, Refund::none);
    if (tax.vat.refund == Refund::once) {
      Field month_field = vat->field("refund_month");
      tax.vat.refund_month = month_field.as_count(Range::non_negative);
      if (tax.vat.refund_month >= frame.horizon_months)
        month_field.fail_expected("a month inside the horizon, from 0 to " + std::to_string(frame.horizon_months - 1));
    } else {
      reject_key(*vat, "refund_month", "unless refund is once");
    }
    tax.vat.refund_share = vat->optional_percent("refund_share", 1);
    // One model choice, two effects: the broker convention books the refund as income and
    // capitalises the VAT-inclusive price; proper accounting (the default) does neither
    // (docs/model-format.md, "The VAT conventions").
    const bool broker_convention = vat->optional_enum<bool>("convention", {{"proper", false}, {"broker", true}}, false);
    tax.vat.refund_booked_as_income = broker_convention;
    tax.vat.input_vat_capitalised = broker_convention;
    // Unset, the equipment's rate, or nil under the broker convention (deal::vat_rate_on_sale).
    tax.vat.sale_rate = vat->optional_percent("sale_rate", Range::fraction);
    vat->finish();
  }
  object.finish();
  return tax;
}

// Reading a model again with overrides: the deal read without them, and what the overrides reach.
struct ReadAgain {
  const deal::Deal& base;
  std::span<const FieldOverride> overrides;

  bool reaches(std::string_view section) const { return io::reaches(overrides, section); }
};

// `again`: a section no override reaches, and whose inputs (the sections it reads) are as they
// were, is the base deal's: it was read from the same text with the same inputs, so reading it
// again would give the same value, warnings and errors (none).
deal::Deal read_deal(const Document& document, const Catalogue& catalogue, const ReadAgain* again = nullptr) {
  Object root = document.root();
  // Top-level typos first: a misspelt section would otherwise surface as a missing one.
  // `uncertainty` is read by io::load_uncertainty (Monte Carlo), not into the deal; it is checked
  // here all the same, so that no command accepts a section another would refuse.
  for (std::string_view section :
       {"catalog", "deal", "cluster", "contracts", "credit_classes", "running_costs", "financing", "covenants", "waterfall",
        "lessee", "guarantees",
        "depreciation", "tax", "uncertainty"})
    (void)root.has(section);
  root.finish();
  // The head and the cluster frame the other sections: an override of either reads the model whole.
  const bool whole = !again || again->reaches("deal") || again->reaches("cluster");
  const auto read = [&](std::string_view section) { return whole || again->reaches(section); };
  deal::Deal deal = whole ? deal::Deal{} : again->base;
  const DealFrame frame = whole ? read_deal_head(root.object("deal", deal_keys), deal) : frame_of(deal);
  if (whole) deal.cluster = read_cluster(root.object("cluster", cluster_keys), frame, catalogue);
  // Each section below is read again when an override reaches it or changes what it reads.
  const bool contracts = read("contracts");
  if (contracts) {
    std::vector<Field> servers_fields;  // each contract's, for the fleet check
    deal.contracts = read_contracts(root, frame, deal.cluster, servers_fields);
    check_fleet(deal, servers_fields);
  }
  if (read("running_costs"))
    deal.running_costs = read_running_costs(root.optional_object("running_costs", running_costs_keys), frame);
  if (read("credit_classes")) deal.credit_classes = read_credit_classes(root.optional_object("credit_classes", credit_class_keys));
  const bool financing = read("financing") || (contracts && !same_for_financing(deal.contracts, again->base.contracts));
  if (financing) deal.debt = read_financing(root, frame, deal.cluster, deal.contracts);
  const bool covenants = financing || read("covenants");
  if (covenants) deal.covenants = read_covenants(root.optional_object("covenants", covenants_keys), frame, deal.debt);
  if (covenants || read("waterfall"))
    deal.waterfall = read_waterfall(root.optional_object("waterfall", waterfall_keys), deal.debt, deal.covenants);
  if (contracts || read("lessee")) deal.lessee = read_lessee(root.optional_object("lessee", lessee_keys), deal.contracts, deal.cluster);
  if (read("guarantees")) deal.guarantees = read_guarantees(root.optional_object("guarantees", guarantees_keys), frame, deal.cluster);
  if (read("depreciation")) deal.assets = read_asset_policy(root.object("depreciation", depreciation_keys));
  if (read("tax")) deal.tax = read_tax(root.object("tax", tax_keys), frame);
  if (read("uncertainty")) (void)read_uncertainty(document);
  return deal;
}

}  // namespace

std::filesystem::path default_catalogue_path(const std::filesystem::path& model) {
  return model.parent_path() / "catalog" / "gpus.yaml";
}

Catalogue load_catalogue(const std::filesystem::path& catalogue) {
  return read_catalogue(Document::load_file(catalogue));
}

Catalogue parse_catalogue(std::string_view text, std::string display_name) {
  return read_catalogue(Document::parse(text, std::move(display_name)));
}

namespace {

// The catalogue a model uses: its top-level `catalog:` path (relative to the model), else the one
// next to it, else the first fallback that exists; the error points at what to fix and names every
// place looked.
std::filesystem::path catalogue_path_of(const Document& document, const std::filesystem::path& model,
                                        const CatalogueSearch& search) {
  const std::optional<Field> named = document.root().optional_field("catalog");
  if (!named) {
    std::vector<std::filesystem::path> looked{default_catalogue_path(model)};
    looked.insert(looked.end(), search.fallbacks.begin(), search.fallbacks.end());
    std::vector<std::string> places;
    for (const auto& path : looked) {
      std::error_code status;
      if (std::filesystem::is_regular_file(path, status)) return path;
      places.push_back(path.string());
    }
    throw InputError(SourcePosition{model.string()}, {},
                     "no GPU catalogue: looked for " + text::join_alternatives(places) +
                         "; give the model a top-level `catalog:` path to one (relative to the model)");
  }
  const auto path = model.parent_path() / std::filesystem::path(named->as_string());  // an absolute text stays absolute
  std::error_code status;
  if (!std::filesystem::is_regular_file(path, status))
    named->fail("expected a GPU catalogue file, but " + path.string() + " is not a readable file");
  return path;
}

}  // namespace

std::vector<std::filesystem::path> bundled_catalogue_paths() {
  return {LEASECALC_INSTALLED_CATALOGUE, LEASECALC_SOURCE_CATALOGUE};
}

deal::Deal load_deal(const std::filesystem::path& model, const CatalogueSearch& search) {
  // The model is parsed first so that a broken model is reported before a missing catalogue.
  const Document document = Document::load_file(model);
  return read_deal(document, load_catalogue(catalogue_path_of(document, model, search)));
}

deal::Deal load_deal(const std::filesystem::path& model, const std::filesystem::path& catalogue) {
  // The model is parsed first so that a broken model is reported before a missing catalogue.
  const Document document = Document::load_file(model);
  return read_deal(document, load_catalogue(catalogue));
}

deal::Deal parse_deal(std::string_view text, std::string display_name, const Catalogue& catalogue) {
  return read_deal(Document::parse(text, std::move(display_name)), catalogue);
}

namespace {

LoadedDeal with_warnings(deal::Deal deal, Document source) {
  LoadedDeal loaded{std::move(deal), {}, std::move(source)};
  for (const deal::Warning& warning : deal::warnings(loaded.deal)) loaded.warnings.push_back(loaded.locate(warning));
  return loaded;
}

}  // namespace

LoadedDeal load_deal_with_warnings(const std::filesystem::path& model, const CatalogueSearch& search) {
  Document document = Document::load_file(model);
  deal::Deal deal = read_deal(document, load_catalogue(catalogue_path_of(document, model, search)));
  return with_warnings(std::move(deal), std::move(document));
}

LoadedDeal parse_deal_with_warnings(std::string_view text, std::string display_name, const Catalogue& catalogue) {
  Document document = Document::parse(text, std::move(display_name));
  deal::Deal deal = read_deal(document, catalogue);
  return with_warnings(std::move(deal), std::move(document));
}

LoadedDeal read_deal_with_warnings(Document document, const Catalogue& catalogue) {
  deal::Deal deal = read_deal(document, catalogue);
  return with_warnings(std::move(deal), std::move(document));
}

LoadedDeal read_deal_with_overrides(const Document& document, const deal::Deal& base, std::span<const FieldOverride> overrides,
                                    const Catalogue& catalogue) {
  Document overridden = document.with_overrides(overrides);
  const ReadAgain again{base, overrides};
  deal::Deal deal = read_deal(overridden, catalogue, &again);
  return with_warnings(std::move(deal), std::move(overridden));
}

Catalogue catalogue_of(const Document& document, const std::filesystem::path& model, const CatalogueSearch& search) {
  return load_catalogue(catalogue_path_of(document, model, search));
}

}  // namespace leasecalc::io
