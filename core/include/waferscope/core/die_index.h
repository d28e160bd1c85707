#pragma once

/// DieIndex: a die's place in a DieGrid — its column, counted from the left, and its row, counted
/// from the top (row 0 is the row farthest from the notch).
/// Threads: a value. Allocates: nothing; toText() allocates the text it returns.

#include <compare>
#include <string>

namespace waferscope::core {

struct DieIndex {
    int column = 0;
    int row = 0;

    friend bool operator==(const DieIndex &, const DieIndex &) = default;
    friend auto operator<=>(const DieIndex &, const DieIndex &) = default;
};

/// "(column,row)", as messages and logs print a die. Not named toString: QTest finds a toString()
/// beside the type by argument-dependent lookup and expects it to return char *.
[[nodiscard]] inline std::string toText(DieIndex die)
{
    return "(" + std::to_string(die.column) + "," + std::to_string(die.row) + ")";
}

} // namespace waferscope::core
