/*
 * Option strings in QEMU's `key=val,key2=val2` syntax (QemuOpts), as written
 * after -machine, -cpu, -drive, -netdev, -chardev, -device, -accel ...
 *
 * Rules (QEMU's docs/system/invocation and util/qemu-option.c behaviour):
 *  - items are separated by ','; a literal ',' inside a value is written ',,';
 *  - the first item may omit its key if the caller names an implied key
 *    (`-machine virt,dumpdtb=x` means type=virt; `-cpu rv64,zbb=false` means
 *    model=rv64; `-netdev user,id=n0` means type=user);
 *  - `key` alone means `key=on` for flags; `nokey` means `key=off` is NOT
 *    accepted (QEMU deprecated it), it is an ordinary key;
 *  - keys are matched exactly; a repeated key keeps every value in order
 *    (`opts_get` returns the last one, as QEMU does);
 *  - an empty string yields an empty list; an empty key (",=x") is an error.
 * Booleans accept on/off, yes/no, true/false, y/n (QEMU's qapi_bool_parse).
 * Sizes accept a number with an optional suffix B, K/k, M, G, T, P, E
 * (powers of 1024), as -m and qemu-img do; "1.5G" is allowed.
 */
#ifndef MORPH_UTIL_KEYVAL_H
#define MORPH_UTIL_KEYVAL_H

#include <stdbool.h>
#include <stdint.h>
#include "util/error.h"

typedef struct KeyValPair {
    char *key;
    char *value;
} KeyValPair;

typedef struct Opts {
    KeyValPair *items;
    unsigned count;
} Opts;

/* Parse `str`; `implied_key` (may be NULL) names the key of a bare first item. */
Opts *opts_parse(const char *str, const char *implied_key, Error **errp);
void opts_free(Opts *opts);
/* Last value of `key`, or NULL. */
const char *opts_get(const Opts *opts, const char *key);
/* opts_get, else `def`. */
const char *opts_get_default(const Opts *opts, const char *key, const char *def);
bool opts_has(const Opts *opts, const char *key);
/*
 * Typed getters: return true and store the value when the key is present and
 * well formed; return true and store `def` when absent; return false with
 * *errp set ("Parameter 'key' expects ...") when malformed.
 */
bool opts_get_bool(const Opts *opts, const char *key, bool def, bool *out, Error **errp);
bool opts_get_number(const Opts *opts, const char *key, uint64_t def, uint64_t *out, Error **errp);
bool opts_get_size(const Opts *opts, const char *key, uint64_t def, uint64_t *out, Error **errp);
/*
 * Check every key is in the NULL-terminated list `allowed`; else set
 * "Invalid parameter 'key'" and return false.
 */
bool opts_check_keys(const Opts *opts, const char *const *allowed, Error **errp);

bool parse_bool(const char *s, bool *out);
/* Strict unsigned parse (decimal, 0x hex, 0 octal) of the whole string. */
bool parse_uint64(const char *s, uint64_t *out);
/* Size with suffix; a bare number is in units of `default_unit` (1 for bytes, 1M for -m). */
bool parse_size(const char *s, uint64_t default_unit, uint64_t *out);

#endif
