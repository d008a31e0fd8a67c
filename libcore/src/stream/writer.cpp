// The map, unmap and result= writers (see stream/writer.hpp).
#include "kmemkit/stream/writer.hpp"

namespace kmemkit {

void put_map_line(OutBuf& o, uint64_t va, uint64_t pa, const MapFields& f) {
    o.put("map va=");
    o.put_hex(va, 8);
    o.put(" pa=");
    o.put_hex(pa, 8);
    if (f.size) {
        o.put(" size=");
        o.put_hex(f.size);
    }
    if (!f.id.empty()) {
        o.put(" id=");
        o.put(f.id);
    } else if (f.pfn) {
        o.put(" pfn=");
        o.put_hex(pa >> 12);
    }
    if (f.page_array) o.put(" array=pages");
    o.put('\n');
}

void put_unmap_line(OutBuf& o, uint64_t va, uint64_t pages, std::string_view id) {
    o.put("unmap va=");
    o.put_hex(va, 8);
    o.put(" pages=");
    o.put_dec(pages);
    if (!id.empty()) {
        o.put(" id=");
        o.put(id);
    }
    o.put('\n');
}

void put_result(OutBuf& o, std::string_view result, std::string_view reason) {
    o.put(" result=");
    o.put(result);
    if (!reason.empty()) {
        o.put(" reason=");
        o.put(reason);
    }
}

}  // namespace kmemkit
