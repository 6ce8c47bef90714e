#pragma once
namespace evs {
const char* version_string();  // project version, e.g. "0.1.0"
const char* git_sha();         // commit the binary was built from ("-dirty" if modified), or "unknown"
}  // namespace evs
