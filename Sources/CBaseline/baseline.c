#include "cbaseline.h"
#include <string.h>

cbaseline_counts cbaseline_split(const uint8_t *bytes, size_t length) {
    cbaseline_counts counts = {0, 0, 0};
    const uint8_t *cursor = bytes;
    const uint8_t *end = bytes + length;
    while (cursor < end) {
        const uint8_t *segment_end = memchr(cursor, '\r', (size_t)(end - cursor));
        if (segment_end == NULL) segment_end = end;
        if (segment_end - cursor >= 3 && cursor[0] == 'M' && cursor[1] == 'S' && cursor[2] == 'H') {
            counts.messages++;
        }
        if (segment_end > cursor) {
            counts.segments++;
            const uint8_t *field = cursor;
            while (field < segment_end) {
                const uint8_t *separator = memchr(field, '|', (size_t)(segment_end - field));
                if (separator == NULL) break;
                counts.fields++;
                field = separator + 1;
            }
        }
        cursor = segment_end + 1;
    }
    return counts;
}
