#pragma once
// Payment and billing frequencies (how many calendar months one period spans) and when in its
// period a payment falls due: the vocabulary of a contract's billing and of a loan's payments.

#include "leasecalc/text/text.hpp"

#include <array>
#include <stdexcept>
#include <string>
#include <string_view>

namespace leasecalc::time {

enum class Frequency { monthly, quarterly, semiannual, annual };

// When a period's payment falls due: at its start (rent in advance) or at its end (in arrears).
enum class PaymentTiming { in_advance, in_arrears };

inline constexpr std::array all_frequencies{Frequency::monthly, Frequency::quarterly,
                                            Frequency::semiannual, Frequency::annual};

inline constexpr int months_per_period(Frequency frequency) {
  switch (frequency) {
    case Frequency::monthly: return 1;
    case Frequency::quarterly: return 3;
    case Frequency::semiannual: return 6;
    case Frequency::annual: return 12;
  }
  throw std::invalid_argument("unknown Frequency value");
}

inline constexpr int periods_per_year(Frequency frequency) { return 12 / months_per_period(frequency); }

// The name used in model files.
inline std::string_view to_string(Frequency frequency) {
  switch (frequency) {
    case Frequency::monthly: return "monthly";
    case Frequency::quarterly: return "quarterly";
    case Frequency::semiannual: return "semiannual";
    case Frequency::annual: return "annual";
  }
  throw std::invalid_argument("unknown Frequency value");
}

// Model-file names, letter case ignored; anything else throws and lists the accepted names.
inline Frequency parse_frequency(std::string_view name) {
  for (const Frequency frequency : all_frequencies)
    if (text::equal_ignoring_case(to_string(frequency), name)) return frequency;
  std::string accepted;
  for (const Frequency frequency : all_frequencies)
    accepted += (accepted.empty() ? "" : ", ") + std::string(to_string(frequency));
  throw std::invalid_argument("unknown frequency '" + std::string(name) + "'; accepted: " + accepted);
}

}  // namespace leasecalc::time
