#pragma once
#include <string>

namespace terrarium {

// The coverage document (docs/coverage.md) as Markdown.
std::string coverage_markdown();

}  // namespace terrarium
