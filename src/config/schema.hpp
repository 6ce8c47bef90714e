#pragma once
// Declarative option schema: every option is declared once with its name, meaning, unit,
// default and bounds. The declaration drives defaults, YAML parsing and validation (errors
// name the key and its line), `evsweep options`, and docs/config-reference.md.
// yaml-cpp is used only inside src/config.
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "config/schema_types.hpp"

namespace evs::config {

// Collects every problem found while reading one YAML file.
struct ParseContext {
  std::string file;      // YAML file, as given
  std::filesystem::path base_dir;  // relative paths resolve against it
  std::vector<std::string> errors;
  std::map<std::string, int> key_lines;  // dotted key -> 1-based line where it was written
  void error(const YAML::Node& node, const std::string& key, const std::string& message);
  void error_at(int line, const std::string& key, const std::string& message);
  // For checks made after parsing: uses the key's recorded line (or its parent's).
  void error_key(const std::string& key, const std::string& message);
};

std::string format_number(double v);
int line_of(const YAML::Node& node);  // 1-based, 0 if unknown

namespace detail {
std::optional<double> read_number(const YAML::Node& n, ParseContext& ctx, const std::string& key, double lo, double hi);
std::optional<long long> read_integer(const YAML::Node& n, ParseContext& ctx, const std::string& key, long long lo,
                                      long long hi);
std::optional<std::string> read_string(const YAML::Node& n, ParseContext& ctx, const std::string& key);
std::string bounds_text(double lo, double hi);
std::string suggestion(const std::string& key, const std::vector<std::string>& known);
}  // namespace detail

template <class S>
class Schema {
 public:
  using Parser = std::function<void(S&, const YAML::Node&, ParseContext&, const std::string& key)>;
  struct Field {
    std::string name;
    OptionDoc doc;
    bool required = false;
    std::function<void(S&)> set_default;
    Parser parse;
    std::function<void(std::vector<OptionDoc>&, const std::string& key)> document_children;
  };

  Schema& number(const std::string& name, double S::*m, std::optional<double> def, double lo, double hi,
                 const std::string& unit, const std::string& meaning) {
    Field f = base(name, "number", meaning, unit, def ? format_number(*def) : "", detail::bounds_text(lo, hi));
    f.required = !def;
    if (def) f.set_default = [m, v = *def](S& s) { s.*m = v; };
    f.parse = [m, lo, hi](S& s, const YAML::Node& n, ParseContext& ctx, const std::string& key) {
      if (auto v = detail::read_number(n, ctx, key, lo, hi)) s.*m = *v;
    };
    return add(std::move(f));
  }

  // A number that may be absent (std::nullopt when not given).
  Schema& optional_number(const std::string& name, std::optional<double> S::*m, double lo, double hi,
                          const std::string& unit, const std::string& meaning) {
    Field f = base(name, "number", meaning, unit, "(unset)", detail::bounds_text(lo, hi));
    f.set_default = [m](S& s) { s.*m = std::nullopt; };
    f.parse = [m, lo, hi](S& s, const YAML::Node& n, ParseContext& ctx, const std::string& key) {
      if (auto v = detail::read_number(n, ctx, key, lo, hi)) s.*m = *v;
    };
    return add(std::move(f));
  }

  template <class Int>
  Schema& integer(const std::string& name, Int S::*m, std::optional<long long> def, long long lo, long long hi,
                  const std::string& unit, const std::string& meaning) {
    Field f = base(name, "integer", meaning, unit, def ? std::to_string(*def) : "",
                   "[" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
    f.required = !def;
    if (def) f.set_default = [m, v = *def](S& s) { s.*m = static_cast<Int>(v); };
    f.parse = [m, lo, hi](S& s, const YAML::Node& n, ParseContext& ctx, const std::string& key) {
      if (auto v = detail::read_integer(n, ctx, key, lo, hi)) s.*m = static_cast<Int>(*v);
    };
    return add(std::move(f));
  }

  Schema& boolean(const std::string& name, bool S::*m, bool def, const std::string& meaning) {
    Field f = base(name, "boolean", meaning, "", def ? "true" : "false", "true | false");
    f.set_default = [m, def](S& s) { s.*m = def; };
    f.parse = [m](S& s, const YAML::Node& n, ParseContext& ctx, const std::string& key) {
      bool v = false;
      if (!n.IsScalar() || !YAML::convert<bool>::decode(n, v)) {
        ctx.error(n, key, "expected true or false");
        return;
      }
      s.*m = v;
    };
    return add(std::move(f));
  }

  Schema& string(const std::string& name, std::string S::*m, std::optional<std::string> def,
                 const std::string& meaning) {
    Field f = base(name, "string", meaning, "", def ? (def->empty() ? "\"\"" : *def) : "", "");
    f.required = !def;
    if (def) f.set_default = [m, v = *def](S& s) { s.*m = v; };
    f.parse = [m](S& s, const YAML::Node& n, ParseContext& ctx, const std::string& key) {
      if (auto v = detail::read_string(n, ctx, key)) s.*m = *v;
    };
    return add(std::move(f));
  }

  // A file path, resolved against the YAML file's folder; must exist.
  Schema& path(const std::string& name, std::string S::*m, std::optional<std::string> def,
               const std::string& meaning) {
    Field f = base(name, "path", meaning, "", def ? *def : "", "existing file, relative to the study file");
    f.required = !def;
    if (def) f.set_default = [m, v = *def](S& s) { s.*m = v; };
    f.parse = [m](S& s, const YAML::Node& n, ParseContext& ctx, const std::string& key) {
      auto v = detail::read_string(n, ctx, key);
      if (!v) return;
      std::filesystem::path p(*v);
      if (p.is_relative()) p = ctx.base_dir / p;
      p = p.lexically_normal();
      std::error_code ec;
      if (!std::filesystem::is_regular_file(p, ec)) {
        ctx.error(n, key, "file not found: " + p.string());
        return;
      }
      s.*m = p.string();
    };
    return add(std::move(f));
  }

  Schema& choice(const std::string& name, std::string S::*m, const std::string& def,
                 const std::vector<std::string>& choices, const std::string& meaning) {
    std::string all;
    for (const auto& c : choices) all += (all.empty() ? "" : " | ") + c;
    Field f = base(name, "choice", meaning, "", def, all);
    f.set_default = [m, def](S& s) { s.*m = def; };
    f.parse = [m, choices, all](S& s, const YAML::Node& n, ParseContext& ctx, const std::string& key) {
      auto v = detail::read_string(n, ctx, key);
      if (!v) return;
      for (const auto& c : choices)
        if (c == *v) {
          s.*m = *v;
          return;
        }
      ctx.error(n, key, "'" + *v + "' is not one of " + all + detail::suggestion(*v, choices));
    };
    return add(std::move(f));
  }

  Schema& numbers(const std::string& name, std::vector<double> S::*m, double lo, double hi, const std::string& unit,
                  const std::string& meaning) {
    Field f = base(name, "numbers", meaning, unit, "[]", detail::bounds_text(lo, hi) + " each");
    f.set_default = [m](S& s) { (s.*m).clear(); };
    f.parse = [m, lo, hi](S& s, const YAML::Node& n, ParseContext& ctx, const std::string& key) {
      if (!n.IsSequence()) {
        ctx.error(n, key, "expected a list of numbers like [1, 2, 3]");
        return;
      }
      std::vector<double> out;
      for (size_t i = 0; i < n.size(); ++i) {
        auto v = detail::read_number(n[i], ctx, key + "[" + std::to_string(i) + "]", lo, hi);
        out.push_back(v.value_or(NAN));
      }
      s.*m = std::move(out);
    };
    return add(std::move(f));
  }

  // A list of names, each from a fixed set (e.g. stages: [traffic, dispatch]).
  Schema& choices(const std::string& name, std::vector<std::string> S::*m, std::vector<std::string> def,
                  const std::vector<std::string>& allowed, const std::string& meaning) {
    std::string all, def_text;
    for (const auto& c : allowed) all += (all.empty() ? "" : " | ") + c;
    for (const auto& c : def) def_text += (def_text.empty() ? "" : ", ") + c;
    Field f = base(name, "names", meaning, "", "[" + def_text + "]", "each of " + all);
    f.set_default = [m, def](S& s) { s.*m = def; };
    f.parse = [m, allowed, all](S& s, const YAML::Node& n, ParseContext& ctx, const std::string& key) {
      if (!n.IsSequence()) {
        ctx.error(n, key, "expected a list of names like [" + (allowed.empty() ? "" : allowed.front()) + "]");
        return;
      }
      std::vector<std::string> out;
      for (size_t i = 0; i < n.size(); ++i) {
        const std::string item_key = key + "[" + std::to_string(i) + "]";
        auto v = detail::read_string(n[i], ctx, item_key);
        if (!v) continue;
        if (std::find(allowed.begin(), allowed.end(), *v) == allowed.end())
          ctx.error(n[i], item_key, "'" + *v + "' is not one of " + all + detail::suggestion(*v, allowed));
        else if (std::find(out.begin(), out.end(), *v) != out.end())
          ctx.error(n[i], item_key, "'" + *v + "' given twice");
        else
          out.push_back(*v);
      }
      s.*m = std::move(out);
    };
    return add(std::move(f));
  }

  template <class T>
  Schema& section(const std::string& name, T S::*m, const Schema<T>& sub, const std::string& meaning) {
    Field f = base(name, "section", meaning, "", "", "");
    f.required = sub.has_required();  // a section with required keys must be written
    f.set_default = [m, sub](S& s) { sub.apply_defaults(s.*m); };
    f.parse = [m, sub](S& s, const YAML::Node& n, ParseContext& ctx, const std::string& key) {
      sub.parse(s.*m, n, ctx, key);
    };
    f.document_children = [sub](std::vector<OptionDoc>& out, const std::string& key) { sub.document(out, key); };
    return add(std::move(f));
  }

  template <class T>
  Schema& list(const std::string& name, std::vector<T> S::*m, const Schema<T>& sub, const std::string& meaning) {
    Field f = base(name, "list", meaning, "", "[]", "");
    f.set_default = [m](S& s) { (s.*m).clear(); };
    f.parse = [m, sub](S& s, const YAML::Node& n, ParseContext& ctx, const std::string& key) {
      if (!n.IsSequence()) {
        ctx.error(n, key, "expected a list (items starting with '- ')");
        return;
      }
      std::vector<T> out;
      for (size_t i = 0; i < n.size(); ++i) {
        ctx.key_lines[key + "[" + std::to_string(i) + "]"] = line_of(n[i]);
        T item{};
        sub.apply_defaults(item);
        sub.parse(item, n[i], ctx, key + "[" + std::to_string(i) + "]");
        out.push_back(std::move(item));
      }
      s.*m = std::move(out);
    };
    f.document_children = [sub](std::vector<OptionDoc>& out, const std::string& key) { sub.document(out, key + "[]"); };
    return add(std::move(f));
  }

  // Declares every field of sub at this level, reading and writing the T that get finds
  // in S (how a study kind's own sections join the shared root of the study file).
  template <class T, class Get>
  Schema& embed(const Schema<T>& sub, Get get) {
    for (const auto& f : sub.fields()) {
      Field g;
      g.name = f.name;
      g.doc = f.doc;
      g.required = f.required;
      if (f.set_default) g.set_default = [set = f.set_default, get](S& s) { set(get(s)); };
      g.parse = [parse = f.parse, get](S& s, const YAML::Node& n, ParseContext& ctx, const std::string& key) {
        parse(get(s), n, ctx, key);
      };
      g.document_children = f.document_children;
      add(std::move(g));
    }
    return *this;
  }

  const std::vector<Field>& fields() const { return fields_; }
  bool has_required() const {
    return std::any_of(fields_.begin(), fields_.end(), [](const Field& f) { return f.required; });
  }

  void apply_defaults(S& s) const {
    for (const auto& f : fields_)
      if (f.set_default) f.set_default(s);
  }

  void parse(S& s, const YAML::Node& node, ParseContext& ctx, const std::string& prefix) const {
    if (!node.IsMap()) {
      ctx.error(node, prefix.empty() ? "(top level)" : prefix, "expected a mapping of 'key: value' lines");
      return;
    }
    std::vector<std::string> known;
    for (const auto& f : fields_) known.push_back(f.name);
    std::set<std::string> seen;
    for (auto it = node.begin(); it != node.end(); ++it) {
      const std::string name = it->first.Scalar();
      const std::string key = prefix.empty() ? name : prefix + "." + name;
      ctx.key_lines[key] = line_of(it->first);
      const Field* field = find(name);
      if (!field) {
        ctx.error(it->first, key, "unknown key" + detail::suggestion(name, known));
        continue;
      }
      if (!seen.insert(name).second) {
        ctx.error(it->first, key, "given twice");
        continue;
      }
      field->parse(s, it->second, ctx, key);
    }
    for (const auto& f : fields_)
      if (f.required && !seen.count(f.name))
        ctx.error(node, prefix.empty() ? f.name : prefix + "." + f.name,
                  std::string(f.doc.kind == "section" ? "missing required section (" : "missing required key (") +
                      f.doc.meaning + ")");
  }

  void document(std::vector<OptionDoc>& out, const std::string& prefix) const {
    for (const auto& f : fields_) {
      OptionDoc d = f.doc;
      d.key = prefix.empty() ? f.name : prefix + "." + f.name;
      if (d.default_text.empty()) d.default_text = f.required ? "(required)" : "(none)";
      if (f.doc.kind == "section" || f.doc.kind == "list") d.default_text = f.doc.kind == "list" ? "[]" : "";
      out.push_back(d);
      if (f.document_children) f.document_children(out, d.key);
    }
  }

 private:
  Field base(const std::string& name, const char* kind, const std::string& meaning, const std::string& unit,
             const std::string& def, const std::string& bounds) {
    Field f;
    f.name = name;
    f.doc = {name, kind, meaning, unit, def, bounds};
    return f;
  }
  Schema& add(Field f) {
    fields_.push_back(std::move(f));
    return *this;
  }
  const Field* find(const std::string& name) const {
    for (const auto& f : fields_)
      if (f.name == name) return &f;
    return nullptr;
  }
  std::vector<Field> fields_;
};

}  // namespace evs::config
