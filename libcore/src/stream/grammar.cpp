// The stream's verbs and the classification of a line (see stream/grammar.hpp).
#include "kmemkit/stream/grammar.hpp"
#include "kmemkit/stream/line.hpp"

#include <cstring>

#include "kmemkit/spelling.hpp"

namespace kmemkit {

namespace {
constexpr uint8_t B = kBuddyctl, K = kKmapsim, V = kVa2pa;
}  // namespace

const StreamVerb kStreamVerbs[] = {
    // buddyctl: the buddy allocator and the vmalloc space
    {"alloc", B, K, 0, "allocate 2^order pages (alloc_pages)"},
    {"free", B, K, 0, "free a page block (__free_pages)"},
    {"vmalloc", B, V, 0, "allocate a vmalloc area and its pages"},
    {"vfree", B, K, 0, "free a vmalloc area"},
    {"ioremap", B, 0, 0, "map device memory into the vmalloc space"},
    {"iounmap", B, 0, 0, "unmap an ioremap area"},
    {"show", B, 0, 0, "print /proc/buddyinfo"},
    {"vmalloc_info", B, 0, 0, "print /proc/vmallocinfo and the meminfo Vmalloc lines"},
    // kmapsim: the pkmap area and the kmap_atomic slots
    {"kmap", K, 0, 0, "map a page for long (kmap)"},
    {"kunmap", K, 0, 0, "drop a kmap"},
    {"kmap_atomic", K, 0, 0, "map a page in a per-cpu fixmap slot"},
    {"kunmap_atomic", K, 0, 0, "drop a kmap_atomic mapping"},
    {"page_address", K, 0, 0, "the address of a page, NULL for an unmapped HighMem page"},
    {"kmap_show", K, 0, 0, "print the pkmap table and the kmap_atomic slots"},
    // inserted by the filters
    {"kmap_wake", 0, 0, K, "a kmap that slept gets its entry"},
    {"map", V, 0, B | K, "the kernel mapped a page (or a range) at va"},
    {"unmap", V, 0, B | K, "the kernel cleared the page table entries of a range"},
};
const size_t kStreamVerbCount = sizeof kStreamVerbs / sizeof kStreamVerbs[0];

const StreamVerb* stream_verb(std::string_view name) {
    // the entries by name length (3..13) and first letter: one or two compares, not a scan
    struct Index {
        const StreamVerb* by[14][26][2] = {};
        Index() {
            for (const auto& v : kStreamVerbs) {
                auto& slot = by[v.name.size()][v.name[0] - 'a'];
                slot[slot[0] ? 1 : 0] = &v;
            }
        }
    };
    static const Index index;
    if (name.size() < 3 || name.size() > 13 || name[0] < 'a' || name[0] > 'z') return nullptr;
    for (const StreamVerb* v : index.by[name.size()][name[0] - 'a'])
        if (v && std::memcmp(v->name.data(), name.data(), name.size()) == 0) return v;
    return nullptr;
}

const StreamVerb* stream_verb_near(std::string_view word) {
    const StreamVerb* hit = nullptr;
    if (word.size() < 3) return nullptr;   // "map" is one edit from "mp", "ma", "mop" ...: too weak a hint
    for (const auto& v : kStreamVerbs)
        if (one_edit_apart(word, v.name)) {
            if (hit) return nullptr;
            hit = &v;
        }
    return hit;
}

std::string_view stream_first_token(std::string_view t, bool& comment) {
    size_t i = 0;
    while (i < t.size() && (t[i] == ' ' || t[i] == '\t')) ++i;
    comment = i < t.size() && t[i] == '#';
    if (comment) return {};
    size_t s = i;
    // a token with '=' is a field, not a verb: stop there (and save scanning a long value)
    while (i < t.size() && t[i] != ' ' && t[i] != '\t') {
        if (t[i] == '=') return t.substr(s, 0);
        ++i;
    }
    return t.substr(s, i - s);
}

namespace {
// The fields va2pa acts on (va=, pa=) and the frame an owner's result carries (pfn=), as
// StreamLine::known bits ("java=1", "kva=" are other keys).
constexpr uint32_t kVaBit = key_bit(StreamKey::va), kPaBit = key_bit(StreamKey::pa), kPfnBit = key_bit(StreamKey::pfn);
constexpr uint32_t kAddressBits = kVaBit | kPaBit | kPfnBit;
// The same bits from a line's text: the keys of its tokens
uint32_t address_fields(std::string_view t) {
    uint32_t got = 0;
    const size_t n = t.size();
    for (size_t i = 0; i < n;) {
        while (i < n && (t[i] == ' ' || t[i] == '\t')) ++i;
        const size_t s = i;
        while (i < n && t[i] != ' ' && t[i] != '\t' && t[i] != '=') ++i;
        if (i < n && t[i] == '=') got |= key_bit(stream_key(t.substr(s, i - s))) & kAddressBits;
        while (i < n && t[i] != ' ' && t[i] != '\t') ++i;
    }
    return got;
}

// The one rule, from the first token (its verb entry) and the address fields on the line.
LineClass classify(StreamTool tool, LineClass c, uint32_t fields) {
    if (!c.first.empty()) {
        c.verb = stream_verb(c.first);
        if (c.verb && (c.verb->owner & tool)) return c.role = LineRole::own, c;
        // va2pa reads vmalloc lines as it reads every line with va=: by the field rule below
        if (c.verb && (c.verb->readers & tool) && tool != kVa2pa) return c.role = LineRole::read, c;
    }
    if (tool == kVa2pa) {
        // another filter's event is va2pa's once it has a va= (the owner's result, or an address
        // the owner takes, as kunmap_atomic's); a pa= alone there is the owner's input (ioremap's
        // device address), which va2pa leaves to it, so that its place in a pipeline does not matter
        const bool owner_done = fields & (kVaBit | kPfnBit);   // its result (va= or pfn=) is on it
        if (c.verb && c.verb->owner && c.verb->owner != kVa2pa ? owner_done : fields) return c.role = LineRole::fields, c;
    }
    if (!c.first.empty() && !c.verb) c.role = LineRole::unknown;
    return c;
}
}  // namespace

LineClass classify_stream_line(StreamTool tool, std::string_view text) {
    bool comment = false;
    LineClass c;
    c.first = stream_first_token(text, comment);
    if (comment) return c;
    return classify(tool, c, tool == kVa2pa ? address_fields(text) : 0);
}

LineClass classify_parsed_line(StreamTool tool, const StreamLine& line) {
    LineClass c;
    if (line.comment || line.blank) return c;
    c.first = line.verb;
    return classify(tool, c, line.known & kAddressBits);
}

}  // namespace kmemkit
