// va2pa's result model and its stream filter: the fields a translation shows
// (`field: value` / JSON), and the `--stream` annotation with the learning of
// mappings from upstream lines (`map va= pa=`, `unmap va=`, vmalloc `pages=`).
#pragma once
#include <cstdint>
#include <optional>
#include <string_view>

#include "kmemkit/render.hpp"
#include "kmemkit/stream.hpp"
#include "kmemkit/translate.hpp"

namespace kmemkit {

// One translation as a record; `hex`: addresses as hex strings (field lines),
// else numbers plus *_hex strings (JSON).  `mem_map`: the virtual address of
// mem_map, to show struct page addresses.
Value translation_value(const Translation& t, bool hex, std::optional<uint64_t> mem_map);
Value reverse_translation_value(const ReverseTranslation& r, bool hex);

// va2pa --stream: annotates every line carrying va= or pa=.
class TranslateStream {
public:
    TranslateStream(Translator& tr, uint64_t va_max, uint64_t pa_max) : tr_(tr), va_max_(va_max), pa_max_(pa_max) {}
    static bool owns(std::string_view verb, std::string_view text) {
        (void)verb;
        return text.find("va=") != std::string_view::npos || text.find("pa=") != std::string_view::npos;
    }
    // a parsed owned line: write it with its new fields, or fill `err`
    bool handle(const StreamLine& ln, OutBuf& o, StreamError& err);
    // the plain address-list line "va=0x<hex>", before any parsing (10+ M lines/s)
    bool fast(std::string_view line, OutBuf& o);

private:
    Translator& tr_;
    uint64_t va_max_, pa_max_;
};

}  // namespace kmemkit
