// va2pa's records and stream filter (see translate_stream.hpp).
#include "kmemkit/translate_stream.hpp"

#include <algorithm>
#include <cstring>
#include <fmt/format.h>

#include "kmemkit/number.hpp"
#include "kmemkit/stream/grammar.hpp"

namespace kmemkit {

namespace {

// JSON: `key` as a number and `key`_hex as "0x%08x", or both null
void set_address(Value& o, const std::string& key, std::optional<uint64_t> a) {
    o.set(key, a ? Value(*a) : Value());
    o.set(key + "_hex", a ? Value(hex32(*a)) : Value());
}
Value name_or_null(const char* s) { return s ? Value(s) : Value(); }
Value text_or_null(const std::string& s) { return s.empty() ? Value() : Value(s); }

Value forward_json(const Translation& t, std::optional<uint64_t> mem_map) {
    Value o = Value::object();
    set_address(o, "va", t.va);
    o.set("region", name_or_null(t.region ? t.region->name.c_str() : nullptr));
    o.set("mapping", t.linear ? Value("linear") : t.learned ? Value("learned") : Value());
    set_address(o, "pa", t.has_pa ? std::optional<uint64_t>(t.pa) : std::nullopt);
    o.set("pfn", t.has_pa ? Value(t.pfn) : Value());
    o.set("zone", name_or_null(t.zone ? t.zone->name.c_str() : nullptr));
    const bool page = t.has_pa && t.zone;   // a RAM frame has a struct page in mem_map
    o.set("mem_map_index", page ? Value(t.mem_map_index) : Value());
    o.set("mem_map_offset", page ? Value(t.page_offset_bytes) : Value());
    set_address(o, "page", page && mem_map ? std::optional<uint64_t>(*mem_map + t.page_offset_bytes) : std::nullopt);
    o.set("note", text_or_null(t.why));
    return o;
}

Value forward_fields(const Translation& t, std::optional<uint64_t> mem_map) {
    Value o = Value::object();
    o.set("va", hex32(t.va));
    o.set("region", t.region ? t.region->name : "none");
    if (t.has_pa) {
        o.set("pa", hex32(t.pa));
        o.set("pfn", fmt::format("{:#x}", t.pfn));
        if (t.learned) o.set("mapping", "learned from the stream");
    }
    o.set("zone", t.zone ? t.zone->name : "none (" + t.why + ")");
    if (t.has_pa && t.zone) {
        o.set("mem_map_index", t.mem_map_index);
        o.set("page", mem_map ? hex32(*mem_map + t.page_offset_bytes)
                              : fmt::format("mem_map + {:#x} (give --mem-map ADDR for the address)",
                                            t.page_offset_bytes));
    }
    return o;
}

// the region a physical address is reached through: the linear map, kmap (HighMem), or none
const char* reverse_region(const ReverseTranslation& r) {
    return r.lowmem ? "lowmem" : r.ram ? "highmem" : nullptr;
}

Value reverse_json(const ReverseTranslation& r) {
    Value o = Value::object();
    set_address(o, "pa", r.pa);
    o.set("pfn", r.pfn);
    o.set("zone", name_or_null(r.zone ? r.zone->name.c_str() : nullptr));
    o.set("region", name_or_null(reverse_region(r)));
    set_address(o, "va", r.lowmem ? std::optional<uint64_t>(r.va) : std::nullopt);
    o.set("note", text_or_null(r.why));
    return o;
}

Value reverse_fields(const ReverseTranslation& r) {
    Value o = Value::object();
    o.set("pa", hex32(r.pa));
    o.set("pfn", fmt::format("{:#x}", r.pfn));
    o.set("zone", r.zone ? r.zone->name : "none (" + r.why + ")");
    o.set("va", r.lowmem ? hex32(r.va) : "none (" + r.why + ")");
    const char* region = reverse_region(r);
    o.set("region", region ? region : "none");
    return o;
}

// ---- --stream ------------------------------------------------------------
bool parse_field(const StreamField& f, uint64_t max, uint64_t& v, StreamError& err, const char* what) {
    if (try_parse_number(f.value, v, max)) return true;
    err.message = fmt::format("{}={}: not a {} (0x... or decimal, at most {:#x})", f.key, f.value, what, max);
    err.col = f.col + uint32_t(f.key.size()) + 1;
    return false;
}

}  // namespace

// The appended fields, built in one small buffer and written with one put().
struct TranslateStream::Annotation {
    char buf[256];
    size_t k = 0;
    void add(std::string_view key, std::string_view value) {   // names are short; clipped to fit anyway
        size_t m = std::min(value.size(), size_t(32));
        std::memcpy(buf + k, key.data(), key.size());
        k += key.size();
        std::memcpy(buf + k, value.data(), m);
        k += m;
    }
    void add_hex(std::string_view key, uint64_t v, int digits) {
        std::memcpy(buf + k, key.data(), key.size());
        k += key.size();
        k += format_hex(buf + k, v, digits);
    }
};


std::string translation_pairs(const Translation& t) {
    std::string s = fmt::format("va={} region={}", hex32(t.va), t.region ? t.region->name : "none");
    if (t.has_pa) s += fmt::format(" pa={} pfn={:#x}", hex32(t.pa), t.pfn);
    return s + " zone=" + (t.zone ? t.zone->name : "none");
}

std::string reverse_translation_pairs(const ReverseTranslation& r) {
    const char* region = reverse_region(r);
    std::string s = fmt::format("pa={} region={} pfn={:#x} zone={}", hex32(r.pa), region ? region : "none", r.pfn,
                                r.zone ? r.zone->name : "none");
    return r.lowmem ? s + " va=" + hex32(r.va) : s;
}

Value translation_value(const Translation& t, bool hex, std::optional<uint64_t> mem_map) {
    return hex ? forward_fields(t, mem_map) : forward_json(t, mem_map);
}

Value reverse_translation_value(const ReverseTranslation& r, bool hex) {
    return hex ? reverse_fields(r) : reverse_json(r);
}

// Learning (kmemkit-stream(5) MAP LINES): `map va= pa=|pfn= [pages=N|size=BYTES]`
// maps a physically contiguous range, `unmap va= [pages=N|size=BYTES]` drops
// every page of its range, `vmalloc va= pages=PFN,PFN,...` maps the area's
// pages in order (a single number in pages= is buddyctl's page count: the map
// lines that follow carry the frames).
bool TranslateStream::learn(const StreamLine& ln, uint64_t va, bool has_frame, uint64_t frame_pa,
                            uint64_t& unmap_pages, StreamError& err) {
    const bool map = ln.verb == "map", unmap = !map && ln.verb == "unmap";
    const uint64_t top_vpn = (va_max_ >> kPageShift) + 1;   // pages in the virtual address space
    if (map || unmap) {
        if (map && !has_frame) return true;   // nothing to learn
        uint64_t pages = 1;
        const StreamField* f = ln.get(StreamKey::pages);
        if (f) {
            if (!parse_field(*f, top_vpn, pages, err, "page count")) return false;
        } else if ((f = ln.get(StreamKey::size))) {
            uint64_t size;
            if (!parse_field(*f, va_max_ + 1, size, err, "size in bytes")) return false;
            pages = ((va & (kPageSize - 1)) + size + kPageSize - 1) >> kPageShift;   // the pages [va, va+size) touches
        }
        if (f && pages == 0) {
            err.message = fmt::format("{}={}: the range must cover at least one page", f->key, f->value);
            err.col = f->col + uint32_t(f->key.size()) + 1;
            return false;
        }
        if (f && (va >> kPageShift) + pages > top_vpn) {
            err.message = fmt::format("{}={}: {} pages from {} pass the top of the address space", f->key, f->value,
                                      pages, hex32(va & ~(kPageSize - 1)));
            err.col = f->col + uint32_t(f->key.size()) + 1;
            return false;
        }
        if (map) tr_.learn(va, frame_pa, pages);
        else unmap_pages = pages;   // forgotten once the line shows what it unmaps
        return true;
    }
    if (ln.verb != "vmalloc") return true;
    const StreamField* fp = ln.get(StreamKey::pages);
    if (!fp || fp->value.find(',') == std::string_view::npos) return true;
    const std::string_view s = fp->value;
    uint64_t vpn = va >> kPageShift;
    for (size_t pos = 0; pos <= s.size(); ++vpn) {
        size_t c = std::min(s.find(',', pos), s.size());
        uint64_t pfn;
        if (!try_parse_number(s.substr(pos, c - pos), pfn, pa_max_ >> kPageShift) || vpn >= top_vpn) {
            err.message = vpn >= top_vpn ? fmt::format("pages=: more pages than fit above {}", hex32(va))
                                         : fmt::format("pages=: '{}' is not a page frame number",
                                                       s.substr(pos, std::min<size_t>(c - pos, 40)));
            err.col = fp->col + 6 + uint32_t(pos);
            return false;
        }
        tr_.learn(vpn << kPageShift, pfn << kPageShift);
        pos = c + 1;
    }
    return true;
}

// The annotation rule (va2pa(1) --stream): the frame of a line is its own pa=,
// else its own pfn=, else the translation of its va= (the linear map or a
// learned mapping).  Appended, in this order and only when the line lacks
// them: region (of va=; for a pa= line without va= lowmem, highmem or none),
// pa and pfn (when the frame is known), zone (of the frame, none without one),
// va (a pa= line's lowmem address).
bool TranslateStream::handle(const StreamLine& ln, OutBuf& o, StreamError& err) {
    const StreamField *fva = ln.get(StreamKey::va), *fpa = ln.get(StreamKey::pa), *fpfn = ln.get(StreamKey::pfn);
    const bool has_region = ln.has(StreamKey::region), has_zone = ln.has(StreamKey::zone);
    if (!fva && !fpa) {   // "va=" or "pa=" inside another key (kva=, ipa=): not ours
        o.put(ln.text);
        o.put('\n');
        return true;
    }
    uint64_t va = 0, pa = 0, pfn = 0;
    if (fva && !parse_field(*fva, va_max_, va, err, "32-bit address")) return false;
    if (fpa && !parse_field(*fpa, pa_max_, pa, err, "physical address")) return false;
    // the line's own frame: pa=, else pfn= (at the page offset of va=)
    if (fpfn && !fpa && !parse_field(*fpfn, pa_max_ >> kPageShift, pfn, err, "page frame number")) return false;
    bool has_frame = fpa || fpfn;
    uint64_t frame_pa = fpa ? pa : (pfn << kPageShift) | (va & (kPageSize - 1));
    uint64_t unmap_pages = 0;
    if (fva && !ln.verb.empty() && !learn(ln, va, has_frame, frame_pa, unmap_pages, err)) return false;

    Annotation a;
    if (fva) {
        annotate_va(a, va, has_frame, frame_pa, fpa != nullptr, fpfn != nullptr, has_region, has_zone);
    } else {
        ReverseTranslation r = tr_.pa2va(pa, false);
        const char* region = reverse_region(r);
        if (!has_region) a.add(" region=", region ? region : "none");
        if (!fpfn) a.add_hex(" pfn=", r.pfn, 0);
        if (!has_zone) a.add(" zone=", r.zone ? std::string_view(r.zone->name) : "none");
        if (r.lowmem) a.add_hex(" va=", r.va, 8);
    }
    a.buf[a.k++] = '\n';
    o.put(ln.text);
    o.put(std::string_view(a.buf, a.k));
    if (unmap_pages) tr_.forget(va, unmap_pages);
    return true;
}

// The fields of a line with va= (the rule above handle()).
void TranslateStream::annotate_va(Annotation& a, uint64_t va, bool has_frame, uint64_t frame_pa, bool own_pa,
                                  bool own_pfn, bool has_region, bool has_zone) const {
    const VirtualPage p = tr_.page_of(va);
    if (!has_region) a.add(" region=", p.region ? std::string_view(p.region->name) : "none");
    if (!has_frame && p.has_pa()) {
        has_frame = true;
        frame_pa = p.pa;
    }
    const Zone* zone = has_frame ? tr_.zone_of(frame_pa >> kPageShift) : nullptr;
    if (has_frame && !own_pa) a.add_hex(" pa=", frame_pa, 8);
    if (has_frame && !own_pfn) a.add_hex(" pfn=", frame_pa >> kPageShift, 0);
    if (!has_zone) a.add(" zone=", zone ? std::string_view(zone->name) : "none");
}

// The commonest lines, `va=ADDR` and `WORD va=ADDR` where WORD is no stream verb (a lookup):
// what handle() writes for them, without the general parse.  Anything else (a verb, another
// field, a blank or a control character where the grammar does not allow it, a value that is
// not a number) goes to handle().
bool TranslateStream::fast(std::string_view line, OutBuf& o) const {
    size_t w = 0;   // the end of WORD
    if (line.size() > 3 && line[0] == 'v' && line[1] == 'a' && line[2] == '=') {
        w = 0;
    } else {
        if (line.empty() || line[0] == '#') return false;
        while (w < line.size() && static_cast<unsigned char>(line[w]) > ' ' && line[w] != '=' && line[w] != 0x7f) ++w;
        if (w == 0 || w + 4 >= line.size() || line[w] != ' ' || line.compare(w + 1, 3, "va=") != 0 ||
            stream_verb(line.substr(0, w)))
            return false;
        ++w;
    }
    const std::string_view value = line.substr(w + 3);
    uint64_t va;
    if (value.size() > 18 || !try_parse_number(value, va, va_max_)) return false;
    Annotation a;
    annotate_va(a, va, false, 0, false, false, false, false);
    a.buf[a.k++] = '\n';
    o.put(line);
    o.put(std::string_view(a.buf, a.k));
    return true;
}

}  // namespace kmemkit
