/* World `streams` of async-p3.wit: `stream<u8>` both ways, lifted with a callback. Copies go through one
 * 64 KiB buffer per task in the guest's memory; each export is a small state machine driven by
 * STREAM_READ / STREAM_WRITE / SUBTASK events. */
#include "abi.h"

#define SOURCE "[export]fixtures:async-p3/source"
#define UPSTREAM "fixtures:async-p3/upstream"
#define BUF (1u << 16)

/* consume and echo: stream<u8> built-ins typed by the exports' own stream types */
EXPORTS("[async-lower][stream-read-0]consume") uint32_t consume_read(uint32_t s, uint8_t *p, uint32_t n);
EXPORTS("[stream-drop-readable-0]consume") void consume_drop_readable(uint32_t s);
EXPORTS("[task-return]consume") void task_return_consume(uint64_t n);
EXPORTS("[async-lower][stream-read-0]echo") uint32_t echo_read(uint32_t s, uint8_t *p, uint32_t n);
EXPORTS("[stream-drop-readable-0]echo") void echo_drop_readable(uint32_t s);
EXPORTS("[stream-new-1]echo") uint64_t echo_new(void);
EXPORTS("[async-lower][stream-write-1]echo") uint32_t echo_write(uint32_t s, const uint8_t *p, uint32_t n);
EXPORTS("[stream-drop-writable-1]echo") void echo_drop_writable(uint32_t s);
EXPORTS("[task-return]echo") void task_return_echo(uint32_t s);
EXPORTS("[task-return]pull") void task_return_pull(uint64_t n);
/* the exported interface `source` */
__attribute__((import_module(SOURCE), import_name("[stream-new-0]produce"))) uint64_t produce_new(void);
__attribute__((import_module(SOURCE), import_name("[async-lower][stream-write-0]produce")))
uint32_t produce_write(uint32_t s, const uint8_t *p, uint32_t n);
__attribute__((import_module(SOURCE), import_name("[stream-drop-writable-0]produce"))) void produce_drop_writable(uint32_t s);
__attribute__((import_module(SOURCE), import_name("[task-return]produce"))) void task_return_produce(uint32_t s);
/* the imported interface `upstream` */
__attribute__((import_module(UPSTREAM), import_name("[async-lower]produce"))) uint32_t upstream_produce(uint64_t n, uint32_t *ret);
__attribute__((import_module(UPSTREAM), import_name("[async-lower][stream-read-0]produce")))
uint32_t upstream_read(uint32_t s, uint8_t *p, uint32_t n);
__attribute__((import_module(UPSTREAM), import_name("[stream-drop-readable-0]produce"))) void upstream_drop_readable(uint32_t s);

/* One task's state; context slot 0 points at it. At most MAX_TASKS stream tasks at a time.
 * Ends are taken out of the task's waitable set (joined to 0) before they are dropped and the set is dropped. */
#define MAX_TASKS 8
struct task {
  uint32_t used, set, in, out, subtask;
  uint64_t total, left; /* consume/pull: bytes read; produce: bytes asked for, bytes still to write */
  uint32_t have, sent;  /* echo: bytes in buf, bytes of them written */
  uint8_t buf[BUF];
};
static struct task tasks[MAX_TASKS];
static uint8_t pattern[BUF + 256]; /* byte i is i & 0xff; written from offset (bytes sent) & 0xff */
static uint32_t pattern_ready;

static struct task *task_new(void) {
  for (uint32_t i = 0; i < MAX_TASKS; i++)
    if (!tasks[i].used) {
      struct task *t = &tasks[i];
      t->used = 1; t->total = 0; t->left = 0; t->have = 0; t->sent = 0; t->subtask = 0;
      t->set = waitable_set_new();
      context_set((uint32_t)(uintptr_t)t);
      return t;
    }
  __builtin_trap();
}
/* Take a waitable out of its set, then drop it: waitable-set.drop traps on a set with members. */
#define LEAVE_SET(w) waitable_join((w), 0)
static struct task *task_cur(void) { return (struct task *)(uintptr_t)context_get(); }
static uint32_t task_done(struct task *t) {
  waitable_set_drop(t->set);
  t->used = 0;
  return CB_EXIT;
}

/* ---- consume: read until the writer drops its end ---- */
static uint32_t consume_step(struct task *t, uint32_t r) {
  for (;;) {
    if (r == COPY_BLOCKED) return CB_WAIT_ON(t->set);
    t->total += r >> 4;
    if ((r & 0xf) != COPY_COMPLETED) {
      LEAVE_SET(t->in);
      consume_drop_readable(t->in);
      task_return_consume(t->total);
      return task_done(t);
    }
    r = consume_read(t->in, t->buf, BUF);
  }
}
EXPORT("[async-lift]consume")
uint32_t consume(uint32_t s) {
  struct task *t = task_new();
  t->in = s;
  waitable_join(s, t->set);
  return consume_step(t, consume_read(s, t->buf, BUF));
}
EXPORT("[callback][async-lift]consume")
uint32_t consume_cb(uint32_t event, uint32_t waitable, uint32_t code) {
  (void)waitable;
  struct task *t = task_cur();
  if (event != EV_STREAM_READ) return CB_WAIT_ON(t->set);
  return consume_step(t, code);
}

/* ---- echo: read a chunk, write it all, repeat; the result stream ends when the input does ---- */
static uint32_t echo_finish(struct task *t) {
  LEAVE_SET(t->in);
  LEAVE_SET(t->out);
  echo_drop_readable(t->in);
  echo_drop_writable(t->out);
  return task_done(t);
}
/* r: the result of the copy that just finished (a read when t->have == 0, else a write) */
static uint32_t echo_step(struct task *t, uint32_t r) {
  for (;;) {
    if (r == COPY_BLOCKED) return CB_WAIT_ON(t->set);
    if (t->have == 0) { /* a read finished */
      t->have = r >> 4;
      t->sent = 0;
      if (t->have == 0 && (r & 0xf) != COPY_COMPLETED) return echo_finish(t);
      if ((r & 0xf) != COPY_COMPLETED) t->left = 1; /* input ended: write what we have, then finish */
    } else { /* a write finished */
      t->sent += r >> 4;
      if ((r & 0xf) != COPY_COMPLETED) return echo_finish(t); /* the reader went away */
    }
    if (t->sent < t->have) {
      r = echo_write(t->out, t->buf + t->sent, t->have - t->sent);
    } else {
      if (t->left) return echo_finish(t);
      t->have = 0;
      r = echo_read(t->in, t->buf, BUF);
    }
  }
}
EXPORT("[async-lift]echo")
uint32_t echo(uint32_t s) {
  struct task *t = task_new();
  uint64_t ends = echo_new();
  t->in = s;
  t->out = (uint32_t)(ends >> 32);
  waitable_join(t->in, t->set);
  waitable_join(t->out, t->set);
  task_return_echo((uint32_t)ends);
  return echo_step(t, echo_read(t->in, t->buf, BUF));
}
EXPORT("[callback][async-lift]echo")
uint32_t echo_cb(uint32_t event, uint32_t waitable, uint32_t code) {
  (void)waitable;
  struct task *t = task_cur();
  if (event != EV_STREAM_READ && event != EV_STREAM_WRITE) return CB_WAIT_ON(t->set);
  return echo_step(t, code);
}

/* ---- source.produce: write n pattern bytes, then drop the writable end ---- */
static uint32_t produce_step(struct task *t, uint32_t r) {
  for (;;) {
    if (r == COPY_BLOCKED) return CB_WAIT_ON(t->set);
    if ((r & 0xf) != COPY_COMPLETED) t->left = 0; /* the reader dropped its end: stop */
    else t->left -= r >> 4;
    if (t->left == 0) {
      LEAVE_SET(t->out);
      produce_drop_writable(t->out);
      return task_done(t);
    }
    /* continue the pattern where the last (maybe partial) write stopped */
    uint32_t at = (uint32_t)(t->total - t->left) & 0xff;
    uint32_t n = t->left < BUF ? (uint32_t)t->left : BUF;
    r = produce_write(t->out, pattern + at, n);
  }
}
EXPORT("[async-lift]fixtures:async-p3/source#produce")
uint32_t produce(uint64_t n) {
  if (!pattern_ready) {
    for (uint32_t i = 0; i < sizeof pattern; i++) pattern[i] = (uint8_t)i;
    pattern_ready = 1;
  }
  struct task *t = task_new();
  uint64_t ends = produce_new();
  t->out = (uint32_t)(ends >> 32);
  t->total = n;
  t->left = n;
  waitable_join(t->out, t->set);
  task_return_produce((uint32_t)ends);
  return produce_step(t, COPY_COMPLETED); /* zero bytes written so far */
}
EXPORT("[callback][async-lift]fixtures:async-p3/source#produce")
uint32_t produce_cb(uint32_t event, uint32_t waitable, uint32_t code) {
  (void)waitable;
  struct task *t = task_cur();
  if (event != EV_STREAM_WRITE) return CB_WAIT_ON(t->set);
  return produce_step(t, code);
}

/* ---- pull: call upstream.produce(n), then read its stream like consume ---- */
static uint32_t pull_step(struct task *t, uint32_t r) {
  for (;;) {
    if (r == COPY_BLOCKED) return CB_WAIT_ON(t->set);
    t->total += r >> 4;
    if ((r & 0xf) != COPY_COMPLETED) {
      LEAVE_SET(t->in);
      upstream_drop_readable(t->in);
      task_return_pull(t->total);
      return task_done(t);
    }
    r = upstream_read(t->in, t->buf, BUF);
  }
}
static uint32_t pull_start(struct task *t) {
  waitable_join(t->in, t->set);
  return pull_step(t, upstream_read(t->in, t->buf, BUF));
}
EXPORT("[async-lift]pull")
uint32_t pull(uint64_t n) {
  struct task *t = task_new();
  uint32_t status = upstream_produce(n, &t->in);
  if ((status & 0xf) == ST_RETURNED) return pull_start(t);
  t->subtask = status >> 4;
  waitable_join(t->subtask, t->set);
  return CB_WAIT_ON(t->set);
}
EXPORT("[callback][async-lift]pull")
uint32_t pull_cb(uint32_t event, uint32_t waitable, uint32_t code) {
  struct task *t = task_cur();
  if (event == EV_SUBTASK) {
    if (code != ST_RETURNED) return CB_WAIT_ON(t->set);
    LEAVE_SET(waitable);
    subtask_drop(waitable);
    t->subtask = 0;
    return pull_start(t);
  }
  if (event != EV_STREAM_READ) return CB_WAIT_ON(t->set);
  return pull_step(t, code);
}
