#pragma once
// Subcommands of the `leasecalc` command. Each takes its arguments after the subcommand name and
// returns the process exit code: 0 success, 1 no result (e.g. no IRR), 2 bad input.
#include <span>
#include <string_view>

namespace leasecalc::app {
using Args = std::span<const std::string_view>;
int calc(Args args);
int run(Args args);
int reproduce(Args args);
int compare(Args args);
int sensitivity(Args args);
int montecarlo(Args args);
int bid(Args args);
int report(Args args);
int serve(Args args);
}  // namespace leasecalc::app
