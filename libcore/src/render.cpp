#include "kmemkit/render.hpp"

#include <fmt/format.h>

namespace kmemkit {

Value& Value::set(const std::string& key, Value v) {
    kind_ = Kind::object;
    obj_.emplace_back(key, std::move(v));
    return *this;
}

Value& Value::push(Value v) {
    kind_ = Kind::array;
    arr_.push_back(std::move(v));
    return *this;
}

const Value* Value::find(const std::string& key) const {
    for (const auto& f : obj_)
        if (f.first == key) return &f.second;
    return nullptr;
}

std::string Value::scalar_text() const {
    switch (kind_) {
        case Kind::null: return "null";
        case Kind::boolean: return b_ ? "true" : "false";
        case Kind::integer: return neg_ ? "-" + std::to_string(u_) : std::to_string(u_);
        case Kind::string: return s_;
        default: return "";
    }
}

Value pfn_value(uint64_t pfn, bool hex) { return hex ? Value(fmt::format("{:#x}", pfn)) : Value(pfn); }

std::string json_escape(const std::string& s) {
    std::string o;
    o.reserve(s.size() + 2);
    o += '"';
    for (unsigned char c : s) {
        switch (c) {
            case '"': o += "\\\""; break;
            case '\\': o += "\\\\"; break;
            case '\n': o += "\\n"; break;
            case '\t': o += "\\t"; break;
            case '\r': o += "\\r"; break;
            default:
                if (c < 0x20 || c == 0x7f) o += fmt::format("\\u{:04x}", c);
                else o += char(c);
        }
    }
    o += '"';
    return o;
}

namespace {
void json_rec(const Value& v, bool pretty, int depth, std::string& o) {
    auto nl = [&](int d) {
        if (!pretty) return;
        o += '\n';
        o.append(size_t(d) * 2, ' ');
    };
    switch (v.kind()) {
        case Value::Kind::string: o += json_escape(v.str()); break;
        case Value::Kind::array: {
            if (v.items().empty()) { o += "[]"; break; }
            o += '[';
            bool first = true;
            for (const auto& it : v.items()) {
                if (!first) o += pretty ? "," : ",";
                first = false;
                nl(depth + 1);
                json_rec(it, pretty, depth + 1, o);
            }
            nl(depth);
            o += ']';
            break;
        }
        case Value::Kind::object: {
            if (v.fields().empty()) { o += "{}"; break; }
            o += '{';
            bool first = true;
            for (const auto& f : v.fields()) {
                if (!first) o += ",";
                first = false;
                nl(depth + 1);
                o += json_escape(f.first);
                o += pretty ? ": " : ":";
                json_rec(f.second, pretty, depth + 1, o);
            }
            nl(depth);
            o += '}';
            break;
        }
        default: o += v.scalar_text();
    }
}

void flatten(const Value& v, const std::string& prefix, std::string& o) {
    if (v.kind() == Value::Kind::object) {
        for (const auto& f : v.fields()) flatten(f.second, prefix.empty() ? f.first : prefix + "." + f.first, o);
        return;
    }
    if (v.kind() == Value::Kind::array) {
        bool scalars = true;
        for (const auto& it : v.items())
            if (it.kind() == Value::Kind::array || it.kind() == Value::Kind::object) scalars = false;
        if (scalars) {
            std::string j;
            for (const auto& it : v.items()) j += (j.empty() ? "" : ",") + it.scalar_text();
            o += prefix + ": " + j + "\n";
            return;
        }
        size_t i = 0;
        for (const auto& it : v.items()) flatten(it, prefix + "." + std::to_string(i++), o);
        return;
    }
    o += prefix + ": " + v.scalar_text() + "\n";
}
}  // namespace

std::string to_json(const Value& v, bool pretty) {
    std::string o;
    json_rec(v, pretty, 0, o);
    o += '\n';
    return o;
}

std::string to_field_lines(const Value& obj) {
    std::string o;
    flatten(obj, "", o);
    return o;
}

std::string to_pairs(const Value& obj) {
    std::string o;
    for (const auto& f : obj.fields()) {
        if (!o.empty()) o += ' ';
        std::string t = f.second.scalar_text();
        bool quote = t.empty() || t.find_first_of(" \t\"") != std::string::npos;
        o += f.first + "=" + (quote ? json_escape(t) : t);
    }
    return o;
}

std::string Table::render(bool headings) const {
    std::vector<size_t> w(cols_.size(), 0);
    if (headings)
        for (size_t i = 0; i < cols_.size(); ++i) w[i] = cols_[i].name.size();
    for (const auto& r : rows_)
        for (size_t i = 0; i < r.size() && i < w.size(); ++i) w[i] = std::max(w[i], r[i].size());
    std::string o;
    auto emit = [&](const std::vector<std::string>& r) {
        std::string line;
        for (size_t i = 0; i < cols_.size(); ++i) {
            const std::string& c = i < r.size() ? r[i] : std::string();
            bool last = i + 1 == cols_.size();
            if (cols_[i].right) line += std::string(w[i] - c.size(), ' ') + c;
            else line += last ? c : c + std::string(w[i] - c.size(), ' ');
            if (!last) line += "  ";
        }
        while (!line.empty() && line.back() == ' ') line.pop_back();
        o += line + "\n";
    };
    if (headings) {
        std::vector<std::string> h;
        for (const auto& c : cols_) h.push_back(c.name);
        emit(h);
    }
    for (const auto& r : rows_) emit(r);
    return o;
}

}  // namespace kmemkit
