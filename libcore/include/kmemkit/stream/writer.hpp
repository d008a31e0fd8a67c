// The lines and fields the filters write (man/kmemkit-stream.5 MAP LINES, RESULTS): one writer
// each, so that every tool prints them alike and va2pa reads them with one rule.
#pragma once
#include <cstdint>
#include <string_view>

#include "kmemkit/stream/line.hpp"

namespace kmemkit {

// What follows va= and pa= on a map line, in this order: size= (an ioremap's bytes), id= or
// pfn= (the event it belongs to, or the frame when the event has no id), array=pages (the
// page-pointer array of a vmalloc area).
struct MapFields {
    uint64_t size = 0;            // 0: absent
    std::string_view id;          // empty: absent
    bool pfn = false;             // pfn= of pa (when there is no id)
    bool page_array = false;
};
// "map va=0x%08x pa=0x%08x ...\n": the kernel mapped the page (or range) at va to pa.
void put_map_line(OutBuf& o, uint64_t va, uint64_t pa, const MapFields& f = {});
// "unmap va=0x%08x pages=N[ id=ID]\n": the kernel cleared the entries of N pages from va.
void put_unmap_line(OutBuf& o, uint64_t va, uint64_t pages, std::string_view id = {});
// " result=RESULT[ reason=REASON]": appended to the line of an event the kernel refused or that
// did nothing (ENOMEM, EINVAL, ENOENT, WOULD_SLEEP, NULL, BUG, WARN).
void put_result(OutBuf& o, std::string_view result, std::string_view reason = {});

}  // namespace kmemkit
