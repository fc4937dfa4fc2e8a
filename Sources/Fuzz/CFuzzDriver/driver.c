#include "CFuzzDriver.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

// Defined by libFuzzer (linked whole-archive by `-sanitize=fuzzer`); null otherwise.
extern int LLVMFuzzerRunDriver(int *argc, char ***argv, CovenantFuzzCallback callback) __attribute__((weak));

static int replay_file(const char *path, CovenantFuzzCallback callback) {
    FILE *f = fopen(path, "rb");
    if (!f) { perror(path); return 0; }
    size_t capacity = 4096, size = 0;
    uint8_t *data = malloc(capacity);
    size_t n;
    while (data && (n = fread(data + size, 1, capacity - size, f)) > 0) {
        size += n;
        if (size == capacity) {
            capacity *= 2;
            uint8_t *grown = realloc(data, capacity);
            if (!grown) { free(data); data = NULL; }
            else data = grown;
        }
    }
    fclose(f);
    if (!data) { fprintf(stderr, "%s: out of memory\n", path); return 0; }
    fprintf(stderr, "Running: %s (%zu bytes)\n", path, size);
    callback(data, size);
    free(data);
    return 1;
}

static int replay(const char *path, CovenantFuzzCallback callback) {
    struct stat st;
    if (stat(path, &st) != 0) { perror(path); return 0; }
    if (!S_ISDIR(st.st_mode)) return replay_file(path, callback);
    DIR *dir = opendir(path);
    if (!dir) { perror(path); return 0; }
    int count = 0;
    struct dirent *entry;
    while ((entry = readdir(dir)) != NULL) {
        if (entry->d_name[0] == '.') continue;
        size_t length = strlen(path) + strlen(entry->d_name) + 2;
        char *child = malloc(length);
        if (!child) break;
        snprintf(child, length, "%s/%s", path, entry->d_name);
        count += replay(child, callback);
        free(child);
    }
    closedir(dir);
    return count;
}

int covenant_fuzz_main(int argc, char **argv, CovenantFuzzCallback callback) {
    if (LLVMFuzzerRunDriver) return LLVMFuzzerRunDriver(&argc, &argv, callback);
    fprintf(stderr, "%s: built without -sanitize=fuzzer; replaying the inputs named on the command line\n", argv[0]);
    int count = 0;
    for (int i = 1; i < argc; i++) {
        if (argv[i][0] == '-') continue;  // libFuzzer flags mean nothing here
        count += replay(argv[i], callback);
    }
    fprintf(stderr, "replayed %d input(s) without a crash\n", count);
    return 0;
}
