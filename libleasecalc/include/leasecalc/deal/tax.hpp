#pragma once
// Corporate income tax and VAT.

#include "leasecalc/deal/common.hpp"

namespace leasecalc::deal {

struct IncomeTax {
  Decimal rate = 0;                 // 25% China, 15% high-tech enterprises, 21% US federal
  int loss_carry_forward_years = 5;
  Decimal loss_offset_cap = 1;      // share of a year's taxable income that old losses may offset
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
  // refund is cash only. The broker convention instead capitalises the VAT-inclusive price and
  // books the refund as other income.
  bool refund_booked_as_income = false;
};

struct Tax {
  IncomeTax income;
  Vat vat;
};

}  // namespace leasecalc::deal
