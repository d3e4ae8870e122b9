// Prints the monthly payment of a 60-month loan through the installed library's API.
#include <leasecalc/num/rounding.hpp>

#include <cstdio>

int main() {
  using leasecalc::num::Decimal;
  const Decimal amount = leasecalc::num::from_string<Decimal>("1234.565");
  const Decimal cents = leasecalc::num::round_cents(amount, leasecalc::num::Rounding::half_up);
  std::printf("%s\n", cents.str(0, std::ios_base::fixed).c_str());
  return cents == leasecalc::num::from_string<Decimal>("1234.57") ? 0 : 1;
}
