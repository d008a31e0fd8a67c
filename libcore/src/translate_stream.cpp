// va2pa's records and stream filter (see translate_stream.hpp).
#include "kmemkit/translate_stream.hpp"

#include <algorithm>
#include <cstring>
#include <fmt/format.h>

#include "kmemkit/number.hpp"

namespace kmemkit {

namespace {

std::string zone_text(const Translation& t) {
    if (t.zone) return t.zone->name;
    if (t.has_pa) return t.in_hole ? "none (a hole between RAM banks)" : "none (not RAM)";
    return "none (" + t.why + ")";
}

Value forward_value_impl(const Translation& t, bool hex, std::optional<uint64_t> mem_map) {
    Value o = Value::object();
    o.set("va", hex ? Value(hex32(t.va)) : Value(t.va));
    if (!hex) o.set("va_hex", hex32(t.va));
    o.set("region", t.region ? t.region->name : "none");
    if (t.has_pa) {
        o.set("pa", hex ? Value(hex32(t.pa)) : Value(t.pa));
        if (!hex) o.set("pa_hex", hex32(t.pa));
        o.set("pfn", hex ? Value(fmt::format("{:#x}", t.pfn)) : Value(t.pfn));
        if (t.learned) o.set("mapping", "learned from the stream");
    }
    o.set("zone", zone_text(t));
    if (t.has_pa && t.zone) {
        o.set("mem_map_index", t.mem_map_index);
        std::string page = mem_map ? hex32(*mem_map + t.page_offset_bytes)
                                   : fmt::format("mem_map + {:#x} (give --mem-map ADDR for the address)",
                                                 t.page_offset_bytes);
        o.set("page", page);
    }
    return o;
}

Value reverse_value(const ReverseTranslation& r, bool hex) {
    Value o = Value::object();
    o.set("pa", hex ? Value(hex32(r.pa)) : Value(r.pa));
    if (!hex) o.set("pa_hex", hex32(r.pa));
    o.set("pfn", hex ? Value(fmt::format("{:#x}", r.pfn)) : Value(r.pfn));
    o.set("zone", r.zone ? r.zone->name : "none");
    if (r.lowmem) {
        o.set("va", hex ? Value(hex32(r.va)) : Value(r.va));
        if (!hex) o.set("va_hex", hex32(r.va));
        o.set("region", "lowmem");
    } else {
        o.set("va", "none (" + r.why + ")");
        o.set("region", r.ram ? "highmem" : "none");
    }
    return o;
}

// ---- --stream ------------------------------------------------------------
// The fields appended to a line with va= (region, pa, pfn, zone), skipping those it has.
size_t annotate_va(char* ann, const Translator& tr, uint64_t va, bool has_region, bool has_pa, bool has_pfn,
                   bool has_zone) {
    size_t k = 0;
    auto add = [&](std::string_view sv) {   // names are short: the buffer holds every field
        std::memcpy(ann + k, sv.data(), sv.size());
        k += sv.size();
    };
    Translation t = tr.va2pa(va, false);
    if (!has_region) { add(" region="); add(t.region ? std::string_view(t.region->name) : "none"); }
    if (t.has_pa) {
        if (!has_pa) { add(" pa="); k += format_hex(ann + k, t.pa, 8); }
        if (!has_pfn) { add(" pfn="); k += format_hex(ann + k, t.pfn); }
    }
    if (!has_zone) { add(" zone="); add(t.zone ? std::string_view(t.zone->name) : "none"); }
    return k;
}
bool parse_field(const StreamField& f, uint64_t max, uint64_t& v, StreamError& err, const char* what) {
    if (try_parse_number(f.value, v, max)) return true;
    err.message = fmt::format("{}={}: not a {} (0x... or decimal, at most {:#x})", f.key, f.value, what, max);
    err.col = f.col + uint32_t(f.key.size()) + 1;
    return false;
}

}  // namespace

Value translation_value(const Translation& t, bool hex, std::optional<uint64_t> mem_map) {
    return forward_value_impl(t, hex, mem_map);
}

Value reverse_translation_value(const ReverseTranslation& r, bool hex) { return reverse_value(r, hex); }

bool TranslateStream::handle(const StreamLine& ln, OutBuf& o, StreamError& err) {
    // one pass over the fields (this runs 10 million times a second)
    const StreamField *fva = nullptr, *fpa = nullptr;
    bool has_region = false, has_pfn = false, has_zone = false;
    for (const auto& f : ln.fields) {
        if (f.key == "va") fva = &f;
        else if (f.key == "pa") fpa = &f;
        else if (f.key == "region") has_region = true;
        else if (f.key == "pfn") has_pfn = true;
        else if (f.key == "zone") has_zone = true;
    }
    uint64_t va = 0, pa = 0;
    if (fva && !parse_field(*fva, va_max_, va, err, "32-bit address")) return false;
    if (fpa && !parse_field(*fpa, pa_max_, pa, err, "physical address")) return false;
    // learning: `map va= pa=` records a page mapping, `unmap va=` drops it;
    // `vmalloc ... va= pages=PFN,PFN,...` maps the area's pages in order
    if (fva && fpa && ln.verb == "map") tr_.learn(va, pa);
    else if (fva && ln.verb == "unmap") tr_.forget(va);
    else if (fva && ln.verb == "vmalloc") {
        if (const StreamField* fp = ln.find("pages")) {
            std::string_view s = fp->value;
            uint64_t i = 0;
            size_t pos = 0;
            while (pos <= s.size()) {
                size_t c = s.find(',', pos);
                std::string_view tok = s.substr(pos, c == std::string_view::npos ? s.size() - pos : c - pos);
                uint64_t pfn;
                if (tok.empty() || !try_parse_number(tok, pfn, pa_max_ >> kPageShift)) {
                    // pages=N (a count) from buddyctl: nothing to learn
                    if (c == std::string_view::npos && i == 0) break;
                    err.message = fmt::format("pages={}: not a list of page frame numbers", s);
                    err.col = fp->col + 6;
                    return false;
                }
                if (c == std::string_view::npos && i == 0 && !(fp->value.size() > 1 && fp->value[1] == 'x'))
                    break;   // a single decimal number is a page count
                tr_.learn(va + i * kPageSize, pfn << kPageShift);
                ++i;
                if (c == std::string_view::npos) break;
                pos = c + 1;
            }
        }
    }
    // the appended fields are built in one small buffer and written with one put()
    char ann[160];
    size_t k = 0;
    auto add = [&](std::string_view sv) {
        size_t room = k < sizeof ann - 24 ? sizeof ann - 24 - k : 0;
        size_t m = std::min(sv.size(), room);
        std::memcpy(ann + k, sv.data(), m);
        k += m;
    };
    o.put(ln.text);
    if (fva) {
        k = annotate_va(ann, tr_, va, has_region, fpa != nullptr, has_pfn, has_zone);
    } else if (fpa) {
        ReverseTranslation r = tr_.pa2va(pa);
        if (!has_pfn) { add(" pfn="); k += format_hex(ann + k, r.pfn); }
        if (!has_zone) { add(" zone="); add(r.zone ? std::string_view(r.zone->name) : "none"); }
        if (r.lowmem) { add(" va="); k += format_hex(ann + k, r.va, 8); }
    }
    ann[k++] = '\n';
    o.put(std::string_view(ann, k));
    return true;
}

bool TranslateStream::fast(std::string_view line, OutBuf& o) {
    if (line.size() < 6 || line.size() > 13 || line.compare(0, 5, "va=0x") != 0) return false;
    uint64_t va;
    if (!try_parse_number(line.substr(3), va, va_max_)) return false;
    char ann[160];
    size_t k = annotate_va(ann, tr_, va, false, false, false, false);
    ann[k++] = '\n';
    o.put(line);
    o.put(std::string_view(ann, k));
    return true;
}

}  // namespace kmemkit
