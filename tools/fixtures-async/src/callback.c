/* World `callback` of async-p3.wit: async exports lifted with a callback (`canon lift ... async (callback
 * ...)`), calling the host's async import `fetch` through an async lower. No stack switching: each export
 * returns a callback code and the host's event loop calls the `[callback]` function with events. */
#include "abi.h"

__attribute__((import_module("fixtures:async-p3/host"), import_name("[async-lower]fetch")))
uint32_t host_fetch(uint32_t n, uint32_t *ret);
EXPORTS("[task-return]run") void task_return_run(const uint8_t *p, uint32_t len);
EXPORTS("[task-return]ping") void task_return_ping(uint32_t r);
EXPORTS("[task-return]yield-once") void task_return_yield_once(uint32_t r);

/* A string as the canonical ABI lowers it: pointer and byte length. */
struct str { const uint8_t *ptr; uint32_t len; };
struct run_state { uint32_t set; struct str got; };

static uint32_t run_finish(struct run_state *s) {
  uint32_t len;
  uint8_t *p = concat("callback: ", 10, s->got.ptr, s->got.len, &len);
  task_return_run(p, len);
  task_leave();
  return CB_EXIT;
}

EXPORT("[async-lift]run")
uint32_t run(uint32_t n) {
  task_enter();
  struct run_state *s = cabi_realloc(0, 0, 4, sizeof *s);
  uint32_t status = host_fetch(n, (uint32_t *)&s->got);
  if ((status & 0xf) == ST_RETURNED) return run_finish(s);
  s->set = waitable_set_new();
  waitable_join(status >> 4, s->set);
  context_set((uint32_t)(uintptr_t)s);
  return CB_WAIT_ON(s->set);
}

EXPORT("[callback][async-lift]run")
uint32_t run_cb(uint32_t event, uint32_t waitable, uint32_t code) {
  struct run_state *s = (struct run_state *)(uintptr_t)context_get();
  if (event == EV_SUBTASK && code == ST_RETURNED) {
    waitable_join(waitable, 0); /* leave the set before both are dropped */
    subtask_drop(waitable);
    waitable_set_drop(s->set);
    return run_finish(s);
  }
  return CB_WAIT_ON(s->set); /* STARTED: keep waiting for RETURNED */
}

EXPORT("[async-lift]ping")
uint32_t ping(uint32_t x) {
  task_return_ping(x + 1);
  return CB_EXIT;
}

EXPORT("[callback][async-lift]ping")
uint32_t ping_cb(uint32_t event, uint32_t waitable, uint32_t code) {
  (void)event; (void)waitable; (void)code;
  __builtin_trap(); /* never called: ping exits from its first call */
}

EXPORT("[async-lift]yield-once")
uint32_t yield_once(uint32_t x) {
  context_set(x + 1);
  return CB_YIELD;
}

EXPORT("[callback][async-lift]yield-once")
uint32_t yield_once_cb(uint32_t event, uint32_t waitable, uint32_t code) {
  (void)waitable; (void)code;
  if (event != EV_NONE) __builtin_trap(); /* a YIELD is answered with the NONE event */
  task_return_yield_once(context_get());
  return CB_EXIT;
}
