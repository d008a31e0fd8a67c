// va2pa's result model and its stream filter: the fields a translation shows
// (`field: value` lines / JSON), and the `--stream` annotation with the
// learning of mappings from upstream lines (`map`, `unmap`, vmalloc `pages=`).
#pragma once
#include <cstdint>
#include <optional>
#include <string_view>

#include "kmemkit/render.hpp"
#include "kmemkit/stream/line.hpp"
#include "kmemkit/translate.hpp"

namespace kmemkit {

// One translation as a record.
// `hex` = true: `field: value` lines for a person: addresses as hex, and a
//   field with no value says why ("zone: none (vmalloc area ... is not
//   linearly mapped: ...)").
// `hex` = false: the JSON record: every record has the same keys with the same
//   types (numbers, *_hex strings, null where there is no value, the
//   explanation in "note").  `mem_map`: the virtual address of mem_map, to
//   show struct page addresses.
Value translation_value(const Translation& t, bool hex, std::optional<uint64_t> mem_map);
Value reverse_translation_value(const ReverseTranslation& r, bool hex);
// One translation on one line, as the fields --stream gives a line "va=ADDR" (or "pa=ADDR"):
// "va=0xc0100000 region=lowmem pa=0x10100000 pfn=0x10100 zone=DMA" (pa and pfn only with a
// frame; zone=none without one), "pa=... region=... pfn=... zone=... va=..." (va only in lowmem).
std::string translation_pairs(const Translation& t);
std::string reverse_translation_pairs(const ReverseTranslation& r);

// va2pa --stream: appends region, pa, pfn, zone and va to every line carrying
// va= or pa= (only the fields the line lacks; the rule is in va2pa(1)), and
// learns page mappings from `map`, `unmap` and `vmalloc ... pages=PFN,PFN,...`
// lines (kmemkit-stream(5)).
class TranslateStream {
public:
    TranslateStream(Translator& tr, uint64_t va_max, uint64_t pa_max) : tr_(tr), va_max_(va_max), pa_max_(pa_max) {}
    // A parsed line of va2pa's (stream/grammar.hpp: any event with va= or pa=): write it with
    // its new fields and return true, or fill `err`, write nothing and return false.
    bool handle(const StreamLine& ln, OutBuf& o, StreamError& err);
    // run_filter's fast path: a bare `va=ADDR` line, written as handle() writes it (true), or
    // false to let the line take the general path
    bool fast(std::string_view line, OutBuf& o) const;

private:
    struct Annotation;
    void annotate_va(Annotation& a, uint64_t va, bool has_frame, uint64_t frame_pa, bool own_pa, bool own_pfn,
                     bool has_region, bool has_zone) const;
    // acts on map/unmap/vmalloc lines; an unmap's page count is returned in
    // `unmap_pages`, to forget after the line is annotated with what it unmaps
    bool learn(const StreamLine& ln, uint64_t va, bool has_frame, uint64_t frame_pa, uint64_t& unmap_pages,
               StreamError& err);
    Translator& tr_;
    uint64_t va_max_, pa_max_;
};

}  // namespace kmemkit
