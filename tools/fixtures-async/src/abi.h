/* The Canonical ABI constants and built-ins shared by the WASI 0.3-style fixtures (component-model
 * CanonicalABI.md at spec commit 6d28164). The built-ins are core imports named the way wit-component
 * turns them into `canon` definitions: module "$root" for the ones without a type, "[export]$root" (or
 * "[export]<interface>") for those tied to an exported function. Freestanding: no libc. */
#ifndef FIXTURES_ASYNC_ABI_H
#define FIXTURES_ASYNC_ABI_H
#include <stdint.h>

#define ROOT(name) __attribute__((import_module("$root"), import_name(name)))
#define EXPORTS(name) __attribute__((import_module("[export]$root"), import_name(name)))
#define EXPORT(name) __attribute__((export_name(name)))

/* Callback codes returned by `[async-lift]` functions and their callbacks, packed with a waitable set. */
enum { CB_EXIT = 0, CB_YIELD = 1, CB_WAIT = 2 };
#define CB_WAIT_ON(set) (CB_WAIT | ((set) << 4))
/* Event codes delivered to callbacks and written by waitable-set.wait/poll. */
enum { EV_NONE = 0, EV_SUBTASK = 1, EV_STREAM_READ = 2, EV_STREAM_WRITE = 3, EV_TASK_CANCELLED = 6 };
/* Subtask states: the low 4 bits of an async lower's result (the subtask handle is above them). */
enum { ST_STARTING = 0, ST_STARTED = 1, ST_RETURNED = 2 };
/* Stream copy results: BLOCKED, or (count << 4) | result. */
#define COPY_BLOCKED 0xffffffffu
enum { COPY_COMPLETED = 0, COPY_DROPPED = 1, COPY_CANCELLED = 2 };

ROOT("[waitable-set-new]") uint32_t waitable_set_new(void);
ROOT("[waitable-set-wait]") uint32_t waitable_set_wait(uint32_t set, uint32_t *event);
ROOT("[waitable-set-drop]") void waitable_set_drop(uint32_t set);
ROOT("[waitable-join]") void waitable_join(uint32_t waitable, uint32_t set);
ROOT("[subtask-drop]") void subtask_drop(uint32_t subtask);
ROOT("[context-get-0]") uint32_t context_get(void);
ROOT("[context-set-0]") void context_set(uint32_t value);
ROOT("[thread-yield]") uint32_t thread_yield(void);

/* A bump allocator over a static heap, reset whenever no task is live (`live` counts entered and not yet
 * finished tasks), so benchmark loops never run out. The canonical ABI calls cabi_realloc to place values
 * it lowers (the host's strings). */
static uint8_t heap[1 << 16];
static uint32_t heap_top;
static uint32_t live;

EXPORT("cabi_realloc")
void *cabi_realloc(void *old, uint32_t old_size, uint32_t align, uint32_t new_size) {
  (void)old;
  (void)old_size;
  heap_top = (heap_top + align - 1) & ~(align - 1);
  if (heap_top + new_size > sizeof heap) __builtin_trap();
  void *p = &heap[heap_top];
  heap_top += new_size;
  return p;
}

static inline void task_enter(void) { live++; }
static inline void task_leave(void) {
  if (--live == 0) heap_top = 0;
}

static inline void copy_bytes(uint8_t *dst, const uint8_t *src, uint32_t n) {
  for (uint32_t i = 0; i < n; i++) dst[i] = src[i];
}

/* "<prefix><s>" in fresh heap memory; returns its length through *len. */
static inline uint8_t *concat(const char *prefix, uint32_t plen, const uint8_t *s, uint32_t slen, uint32_t *len) {
  uint8_t *p = cabi_realloc(0, 0, 1, plen + slen);
  copy_bytes(p, (const uint8_t *)prefix, plen);
  copy_bytes(p + plen, s, slen);
  *len = plen + slen;
  return p;
}

#endif
