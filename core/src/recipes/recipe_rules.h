#pragma once

// Private to core: the rules a recipe's values obey, shared by Recipe::validate() and RecipeParser.

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <waferscope/core/recipes/recipe.h>
#include <waferscope/core/validation_error.h>

namespace waferscope::core::detail {

/// Says whether the field at a path holds a value that was read. The parser reports a field it
/// could not read (missing, wrong type) once; rules over such a field are skipped, so it is not
/// reported a second time as out of range against a value nobody wrote.
using IsReadable = std::function<bool(std::string_view path)>;

/// Every broken rule, as issues named by field path, in the order the fields appear in a recipe file.
[[nodiscard]] std::vector<ValidationError::Issue> recipeIssues(const Recipe &recipe, const IsReadable &isReadable);

/// Shortest text that reads back to `value`: "12", "0.05", "101.3".
[[nodiscard]] std::string formatNumber(double value);

} // namespace waferscope::core::detail
