#pragma once
#include <stddef.h>
#include <stdint.h>

/// What the baseline split found.
typedef struct {
    uint64_t messages;
    uint64_t segments;
    uint64_t fields;
} cbaseline_counts;

/// The benchmark baseline: a plain memchr split of HL7 bytes into messages (a segment
/// starting with "MSH"), segments (ending at CR) and fields (at '|'). No validation,
/// no escapes, no dialects: the speed of light for a reader of the same bytes.
cbaseline_counts cbaseline_split(const uint8_t *bytes, size_t length);
