#pragma once

/// RecipeParser: reads a Recipe from a JSON file or from JSON text.
/// Schema: an object with "schemaVersion": 1 and the fields of Recipe under their JSON names
/// (resources/recipes/default.json shows every one). Every field is required except "description",
/// and "sampling.dies", which only mode "listed" takes. A field the schema does not know is an error
/// too, so a misspelt name is caught instead of silently falling back to a default.
/// Errors: a recipe that cannot be used throws ValidationError whose subject names the file
/// ("recipe /path/default.json") and whose issues name each field by its JSON path
/// ("wafer.diePitch.x") with what is wrong: missing, wrong type, out of range with the allowed
/// range, unknown. Every issue is reported, not only the first; a field reported as missing or of
/// the wrong type is not reported again by a range check. An unsupported schemaVersion is reported
/// alone, since the other fields of another version mean something else.
/// Result: a returned Recipe has passed Recipe::validate(); a bad recipe is never returned.
/// Threads: stateless; any thread may call it. Allocates: the document and the recipe.

#include <filesystem>
#include <string_view>

#include <waferscope/core/recipes/recipe.h>

namespace waferscope::core {

class RecipeParser
{
public:
    /// Reads and parses `file`; an unreadable file throws ValidationError with field "file".
    [[nodiscard]] static Recipe parseFile(const std::filesystem::path &file);
    /// Parses `json`; `source` names where it came from in errors (a file name, "clipboard").
    [[nodiscard]] static Recipe parse(std::string_view json, std::string_view source);
};

} // namespace waferscope::core
