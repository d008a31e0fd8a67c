#include "help.hpp"

#include <cerrno>
#include <map>
#include <cstdlib>
#include <fmt/format.h>
#include <memory>

namespace kmemkit::cli {

namespace {
std::string root_name(const CLI::App* app) {
    while (app->get_parent()) app = app->get_parent();
    return app->get_name();
}

// CLI11's type names read as a person reads them
std::string shown_type(const CLI::Option* opt) {
    std::string t = opt->get_type_name();
    if (t == "UINT" || t == "INT") return "N";
    if (t == "FLOAT") return "NUM";
    return t;
}

template <class F>
void for_each_app(CLI::App& app, const F& f) {
    f(app);
    for (CLI::App* sub : app.get_subcommands(std::function<bool(CLI::App*)>{})) for_each_app(*sub, f);
}

// strtoull/strtoll saturate past 64 bits and CLI11 2.1 takes the saturated value, and reads "-1"
// as 2^64-1 for an unsigned option: refuse both before the conversion
CLI::Validator integer_in_64_bits(bool is_unsigned) {
    return CLI::Validator(
        [is_unsigned](std::string& s) -> std::string {
            size_t i = s.find_first_not_of(" \t");
            if (i == std::string::npos) return {};
            if (is_unsigned && s[i] == '-') return fmt::format("{} is negative: expected 0 or more", s);
            errno = 0;
            char* end = nullptr;
            if (is_unsigned) (void)std::strtoull(s.c_str(), &end, 0);
            else (void)std::strtoll(s.c_str(), &end, 0);
            if (errno == ERANGE)
                return fmt::format("{} is out of range (the largest is {})", s,
                                   is_unsigned ? "18446744073709551615" : "9223372036854775807");
            return {};
        },
        "");
}
}  // namespace

namespace {
// words of `text` in lines of at most `width` columns (a longer word stands alone)
std::string wrap(const std::string& text, size_t width) {
    std::string out, line;
    size_t i = 0;
    while (i < text.size()) {
        size_t e = text.find(' ', i);
        if (e == std::string::npos) e = text.size();
        const std::string word = text.substr(i, e - i);
        if (!line.empty() && line.size() + 1 + word.size() > width) {
            out += line + "\n";
            line.clear();
        }
        line += (line.empty() ? "" : " ") + word;
        i = e + 1;
    }
    return out + line;
}
}  // namespace

std::string HelpFormatter::make_help(const CLI::App* app, std::string name, CLI::AppFormatMode mode) const {
    if (mode == CLI::AppFormatMode::Sub) return make_expanded(app);
    std::string s = make_usage(app, name);
    s += make_description(app);
    s += make_positionals(app);
    s += make_groups(app, mode);
    s += make_subcommands(app, mode);
    s += make_footer(app);
    return s;
}

std::string HelpFormatter::make_usage(const CLI::App* app, std::string name) const {
    return CLI::Formatter::make_usage(app, std::move(name));
}

std::string HelpFormatter::make_description(const CLI::App* app) const {
    const std::string& d = app->get_description();
    return d.empty() ? std::string() : "\n" + wrap(d, 79) + "\n";
}

namespace {
std::map<const CLI::App*, std::string>& help_sections() {
    static std::map<const CLI::App*, std::string> m;
    return m;
}
}  // namespace

void set_help_section(CLI::App& app, const std::string& title, const std::string& text) {
    help_sections()[&app] += "\n" + title + "\n" + text;
}

std::string HelpFormatter::make_footer(const CLI::App* app) const {
    std::string s;
    auto sec = help_sections().find(app);
    if (sec != help_sections().end()) s += sec->second;
    const std::string& ex = app->get_footer();
    if (!ex.empty()) {
        s += "\nExamples:\n";
        size_t b = 0;
        while (b < ex.size()) {
            size_t e = ex.find('\n', b);
            if (e == std::string::npos) e = ex.size();
            s += "  " + ex.substr(b, e - b) + "\n";
            b = e + 1;
        }
    }
    return s + "\nSee " + root_name(app) + "(1).\n";
}

std::string HelpFormatter::make_subcommand(const CLI::App* sub) const {
    std::stringstream out;
    CLI::detail::format_help(out, sub->get_display_name(true), wrap(sub->get_description(), 79 - column_width_),
                             column_width_);
    return out.str();
}

std::string HelpFormatter::make_option_name(const CLI::Option* opt, bool positional) const {
    if (positional) return opt->get_name(true, false);
    std::string n = opt->get_name(false, true);
    std::string out;
    for (char c : n) out += c == ',' ? std::string(", ") : std::string(1, c);
    return out;
}

std::string HelpFormatter::make_option_opts(const CLI::Option* opt) const {
    if (opt->get_positional() && !opt->nonpositional())
        return opt->get_expected_max() >= CLI::detail::expected_max_vector_size ? "..." : "";
    if (!opt->get_option_text().empty()) return " " + opt->get_option_text();
    if (opt->get_type_size() == 0) return "";   // a flag
    return " " + shown_type(opt);
}

std::string HelpFormatter::make_option_desc(const CLI::Option* opt) const {
    std::string d = opt->get_description();
    std::string def = opt->get_type_size() == 0 ? std::string() : opt->get_default_str();
    if (def == "[]") def.clear();
    const std::string env = opt->get_envname();
    if (!env.empty()) d += def.empty() ? fmt::format(" (default: ${})", env) : fmt::format(" (default: ${}, else {})", env, def);
    else if (!def.empty()) d += fmt::format(" (default: {})", def);
    return wrap(d, 79 - column_width_);
}

void set_examples(CLI::App& app, const std::vector<std::string>& lines) {
    std::string s;
    for (const auto& l : lines) s += (s.empty() ? "" : "\n") + l;
    app.footer(s);
}

void prepare_options(CLI::App& app) {
    auto fmt = std::make_shared<HelpFormatter>();
    fmt->column_width(28);
    for_each_app(app, [&](CLI::App& a) {
        a.formatter(fmt);
        for (CLI::Option* o : a.get_options(std::function<bool(CLI::Option*)>{})) {
            if (o->get_default_str().empty()) o->capture_default_str();
            for (int i = 0;; ++i) {
                try {
                    o->get_validator(i)->description("");
                } catch (const CLI::OptionNotFound&) {
                    break;
                }
            }
            const std::string t = o->get_type_name();
            if (t == "UINT" || t == "INT") o->check(integer_in_64_bits(t == "UINT"));
        }
    });
}

std::vector<std::string> option_names(const CLI::App& app) {
    std::vector<std::string> names;
    for (const CLI::Option* o : app.get_options(std::function<bool(const CLI::Option*)>{})) {
        for (const auto& l : o->get_lnames()) names.push_back("--" + l);
        for (const auto& s : o->get_snames()) names.push_back("-" + s);
    }
    for (const CLI::App* sub : app.get_subcommands(std::function<bool(const CLI::App*)>{}))
        for (auto& n : option_names(*sub)) names.push_back(std::move(n));
    return names;
}

}  // namespace kmemkit::cli
