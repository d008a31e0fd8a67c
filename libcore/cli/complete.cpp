#include "complete.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <sstream>

namespace kmemkit::cli {

namespace {
// keyed by the option and its name: a destroyed App's option can leave its address to another
struct Declared {
    std::string name;
    CompleteSpec spec;
};
std::map<const CLI::Option*, Declared>& registry() {
    static std::map<const CLI::Option*, Declared> r;
    return r;
}
const CompleteSpec* declared(const CLI::Option* opt) {
    auto it = registry().find(opt);
    return it != registry().end() && it->second.name == opt->get_name() ? &it->second.spec : nullptr;
}

std::string one_line(std::string s) {
    for (char& c : s)
        if (c == '\t' || c == '\n' || c == '\r') c = ' ';
    return s;
}

std::string lower(std::string s) {
    for (char& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

std::vector<std::string> split(const std::string& s, const char* seps) {
    std::vector<std::string> out;
    size_t i = 0;
    while (i < s.size()) {
        size_t j = s.find_first_of(seps, i);
        if (j == std::string::npos) j = s.size();
        if (j > i) out.push_back(s.substr(i, j - i));
        i = j + 1;
    }
    return out;
}

// "{text,kernel,json,kv}": what CLI11's IsMember check describes itself as
std::vector<std::string> member_words(CLI::Option* opt) {
    for (int i = 0;; ++i) {
        CLI::Validator* v = nullptr;
        try {
            v = opt->get_validator(i);
        } catch (const CLI::OptionNotFound&) {
            return {};
        }
        std::string d = v->get_description();
        if (d.size() > 2 && d.front() == '{' && d.back() == '}') return split(d.substr(1, d.size() - 2), ",");
    }
}

// "on|off" (not "NAME|FILE"): a type name that spells the values
std::vector<std::string> type_name_words(const std::string& t) {
    if (t.find('|') == std::string::npos) return {};
    for (char c : t)
        if (std::isupper(static_cast<unsigned char>(c))) return {};
    return split(t, "|");
}

// The output columns a command's --help lists (util-linux style): the first word of each indented
// line below a heading "...columns...:".
std::vector<std::string> columns_in_help(const std::string& help) {
    std::istringstream in(help);
    std::string line;
    while (std::getline(in, line)) {
        std::string l = lower(line);
        size_t c = l.find("column");
        size_t colon = l.find(':', c == std::string::npos ? 0 : c);
        if (c == std::string::npos || colon == std::string::npos) continue;
        if (line.find_first_not_of(" \t", colon + 1) != std::string::npos) continue;   // a heading ends with ':'
        std::vector<std::string> words;
        while (std::getline(in, line) && !line.empty() && std::isspace(static_cast<unsigned char>(line[0]))) {
            std::vector<std::string> w = split(line, " \t,");
            if (!w.empty()) words.push_back(w[0]);
        }
        return words;
    }
    return {};
}

std::string join(const std::vector<std::string>& v, const char* sep) {
    std::string s;
    for (const auto& x : v) s += (s.empty() ? "" : sep) + x;
    return s;
}

std::string option_line(CLI::App& app, CLI::Option* opt) {
    std::vector<std::string> names;
    for (const auto& s : opt->get_snames()) names.push_back("-" + s);
    for (const auto& l : opt->get_lnames()) names.push_back("--" + l);
    bool positional = names.empty();
    std::vector<std::string> attrs, values;
    if (!positional && opt->get_expected_max() == 0) {
        attrs.push_back("flag");
    } else {
        attrs.push_back("value");
        std::string type = opt->get_type_name();
        if (const CompleteSpec* d = declared(opt)) {
            if (d->values) values = d->values();
            if (d->files) attrs.push_back("file");
            if (d->list) attrs.push_back("list");
        } else {
            values = member_words(opt);
            if (values.empty()) values = type_name_words(type);
            bool columns = opt->check_lname("output");
            if (values.empty() && columns) values = columns_in_help(app.help());
            if (!values.empty() && (columns || opt->get_delimiter() == ',')) attrs.push_back("list");
            std::string what = lower(type + " " + (positional ? opt->get_name() : ""));
            if (what.find("file") != std::string::npos) attrs.push_back("file");
        }
        if (!values.empty() && std::find(attrs.begin(), attrs.end(), "list") == attrs.end()) attrs.push_back("words");
    }
    return std::string(positional ? "positional" : "option") + "\t" +
           (positional ? opt->get_name() : join(names, " ")) + "\t" + join(attrs, " ") + "\t" +
           (values.empty() ? "-" : one_line(join(values, " "))) + "\t" + one_line(opt->get_description()) + "\n";
}
}  // namespace

void complete_values(CLI::Option* opt, CompleteSpec spec) { registry()[opt] = {opt->get_name(), std::move(spec)}; }

std::string completion_text(CLI::App& app, const std::vector<std::string>& path) {
    CLI::App* cmd = &app;
    std::vector<CLI::App*> chain{cmd};
    for (const auto& name : path) {
        CLI::App* sub = nullptr;
        for (CLI::App* s : cmd->get_subcommands({}))
            if (s->check_name(name)) sub = s;
        if (!sub) break;
        chain.push_back(cmd = sub);
    }
    std::string out;
    for (CLI::App* s : cmd->get_subcommands({}))
        if (!s->get_group().empty()) out += "command\t" + s->get_name() + "\t" + one_line(s->get_description()) + "\n";
    // a subcommand with fallthrough also takes its parent's options
    for (size_t i = chain.size(); i-- > 0;) {
        CLI::App* level = chain[i];
        for (CLI::Option* opt : level->get_options({})) {
            if (opt->get_group().empty()) continue;   // hidden
            if (level != cmd && opt->get_positional()) continue;
            if (level != cmd && (opt == level->get_help_ptr())) continue;
            out += option_line(*cmd, opt);
        }
        if (!level->get_fallthrough()) break;
    }
    return out;
}

}  // namespace kmemkit::cli
