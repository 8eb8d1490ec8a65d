/* World `stackful` of async-p3.wit: the same exports as callback.c lifted stackful (`canon lift ... async`
 * without `callback`): each export runs on its own thread and blocks in waitable-set.wait or yields with
 * thread.yield, so a host needs stack switching (JSPI in JS engines) to run it. */
#include "abi.h"

__attribute__((import_module("fixtures:async-p3/host"), import_name("[async-lower]fetch")))
uint32_t host_fetch(uint32_t n, uint32_t *ret);
EXPORTS("[task-return]run") void task_return_run(const uint8_t *p, uint32_t len);
EXPORTS("[task-return]ping") void task_return_ping(uint32_t r);
EXPORTS("[task-return]yield-once") void task_return_yield_once(uint32_t r);

struct str { const uint8_t *ptr; uint32_t len; };

EXPORT("[async-lift-stackful]run")
void run(uint32_t n) {
  task_enter();
  struct str *got = cabi_realloc(0, 0, 4, sizeof *got);
  uint32_t status = host_fetch(n, (uint32_t *)got);
  if ((status & 0xf) != ST_RETURNED) {
    uint32_t subtask = status >> 4, set = waitable_set_new(), ev[2];
    waitable_join(subtask, set);
    /* ev[0] = the waitable's handle, ev[1] = the payload (the subtask's new state) */
    while (!(waitable_set_wait(set, ev) == EV_SUBTASK && ev[1] == ST_RETURNED)) {}
    waitable_join(subtask, 0); /* leave the set before both are dropped */
    subtask_drop(subtask);
    waitable_set_drop(set);
  }
  uint32_t len;
  uint8_t *p = concat("stackful: ", 10, got->ptr, got->len, &len);
  task_return_run(p, len);
  task_leave();
}

EXPORT("[async-lift-stackful]ping")
void ping(uint32_t x) {
  task_return_ping(x + 1);
}

EXPORT("[async-lift-stackful]yield-once")
void yield_once(uint32_t x) {
  (void)thread_yield();
  task_return_yield_once(x + 1);
}
