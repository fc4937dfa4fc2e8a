#ifndef COVENANT_FUZZ_DRIVER_H
#define COVENANT_FUZZ_DRIVER_H

#include <stddef.h>
#include <stdint.h>

/// libFuzzer's entry point signature (`LLVMFuzzerTestOneInput`).
typedef int (*CovenantFuzzCallback)(const uint8_t *data, size_t size);

/// The `main` of every fuzz target.
///
/// Linked with `-sanitize=fuzzer` (scripts/fuzz.sh), this hands control to libFuzzer's own driver
/// (`LLVMFuzzerRunDriver`), so every libFuzzer flag works (`-max_total_time`, `-minimize_crash`,
/// `-merge`, …). Built without it (`COVENANT_FUZZ=1 swift build --product FuzzYAML`), the binary
/// replays the files, and the files in the directories, named on its command line — a plain
/// reproducer to run under a debugger.
int covenant_fuzz_main(int argc, char **argv, CovenantFuzzCallback callback);

#endif
