// The `lessee:` and `guarantees:` sections of a model file (structures_section.hpp).

#include "structures_section.hpp"

#include "leasecalc/time/date.hpp"

#include <array>
#include <string>
#include <string_view>

namespace leasecalc::io {

namespace {

using deal::Decimal;

constexpr auto residual_value_guarantee_keys = std::to_array<std::string_view>({"floor", "guarantor"});
constexpr auto capacity_backstop_keys = std::to_array<std::string_view>({"buyer", "price", "from", "until", "cap"});

}  // namespace

std::optional<deal::Lessee> read_lessee(std::optional<Object> object, const std::vector<deal::Contract>& contracts,
                                        const deal::Cluster& cluster) {
  if (!object) return std::nullopt;
  const auto* lease = contracts.size() == 1 ? std::get_if<deal::TakeOrPay>(&contracts.front()) : nullptr;
  if (lease == nullptr)
    object->as_field().fail("expected a deal that leases its whole fleet to the lessee: one take-or-pay contract, got " +
                            std::to_string(contracts.size()) + " contract(s)" +
                            (contracts.size() == 1 ? " on demand" : ""));
  if (lease->servers != Decimal(cluster.servers))
    object->as_field().fail("expected a lease of the whole fleet (" + std::to_string(cluster.servers) +
                            " units), got a lease of " + format_decimal(lease->servers));
  if (lease->re_lease.mode != deal::ReLease::Mode::idle)
    object->as_field().fail("expected a lease with no re-lease after it (re_lease mode idle): the lessee's view "
                            "counts every receipt and every unit billed as the lessee's");
  deal::Lessee lessee;
  lessee.name = object->required_string("name");
  lessee.discount_rate = object->required_percent("discount_rate", Range::annual_rate);
  lessee.costs_borne_either_way_included =
      object->optional_enum<bool>("costs_borne_either_way", {{"excluded", false}, {"included", true}}, false);
  object->finish();
  return lessee;
}

deal::Guarantees read_guarantees(std::optional<Object> object, const DealFrame& frame, const deal::Cluster& cluster) {
  deal::Guarantees guarantees;
  if (!object) return guarantees;
  if (std::optional<Object> rvg = object->optional_object("residual_value", residual_value_guarantee_keys)) {
    deal::ResidualValueGuarantee guarantee;
    guarantee.floor_share = rvg->required_percent("floor");
    guarantee.guarantor = rvg->required_string("guarantor");
    rvg->finish();
    guarantees.residual_value = guarantee;
  }
  if (std::optional<Object> backstop_object = object->optional_object("capacity_backstop", capacity_backstop_keys)) {
    deal::CapacityBackstop backstop;
    backstop.buyer = backstop_object->required_string("buyer");
    backstop.price = read_rental_price(backstop_object->field("price"), frame, cluster.sku);
    Field from = backstop_object->field("from");
    backstop.from = from.as_date();
    if (!frame.inside(backstop.from)) from.fail_expected(frame.inside_expectation());
    Field until = backstop_object->field("until");
    backstop.until = until.as_date();
    if (backstop.until < backstop.from)
      until.fail_expected("a date on or after `from` (" + time::format_date(backstop.from) + ")");
    backstop.cap = backstop_object->required_amount_in("cap", frame.currency, Range::positive);
    backstop_object->finish();
    guarantees.capacity_backstop = backstop;
  }
  object->finish();
  return guarantees;
}

}  // namespace leasecalc::io
