#pragma once
// Domain bounds of a deal, far outside any real one: they keep counts, month arithmetic and dates
// away from what an int or the calendar can hold. The model loader enforces them with the
// offending text's position (io::limits); engine::require_projectable holds a deal built in code
// to the same ones. docs/model-format.md lists them with their reasons.

namespace leasecalc::deal::limits {

inline constexpr int max_count = 10'000'000;  // servers, GPUs: ten times the largest clusters built
inline constexpr int max_months = 600;        // durations: 50 years, beyond any lease, loan or horizon
inline constexpr int max_lease_months = 360;  // a contract's term: 30 years, beyond any GPU's useful life
inline constexpr int first_year = 1900;       // dates: the span of any deal, with 50 years to
inline constexpr int last_year = 2200;        // spare before boost's 9999 end of the calendar
inline constexpr const char* max_amount = "1e15";  // amounts, prices, numbers: a quadrillion in any unit
// Annual rates (discount, escalators, residual decay, loan rates and fees): 1000%, beyond any rate
// outside hyperinflation, so that (1 + rate)^years stays finite over the longest horizon.
inline constexpr int max_annual_rate = 10;

}  // namespace leasecalc::deal::limits
