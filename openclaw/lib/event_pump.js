// One reader of a skill handle's events. The library hands each event out
// once, so the Jami channel and the event service cannot each read the
// queue: one loop reads it and offers every event to its takers in order
// (the channel first, then the system events); the first that takes it
// (returns true) ends its round.
export function createEventPump(skill, log) {
  const takers = []; // [{name, take}]
  let loop = null;
  let running = false;

  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  async function run() {
    while (running) {
      let event;
      try {
        event = await skill.nextEvent(1000);
      } catch (error) {
        log.warn(`jami: events unavailable: ${error.message}`);
        await sleep(5000);
        continue;
      }
      if (!event) continue;
      if (event.type === "error") {
        log.warn(`jami: ${event.error?.message ?? "event error"}`);
        await sleep(1000);
        continue;
      }
      for (const { name, take } of [...takers]) {
        try {
          if (await take(event)) break;
        } catch (error) {
          log.warn(`jami: ${name} failed on a ${event.type} event: ${error?.message ?? error}`);
        }
      }
    }
  }

  return {
    // `take(event)` → true when it handled the event. Returns the undo.
    // The channel goes first: it owns the messages of the peers it serves.
    add(name, take, { first = false } = {}) {
      const entry = { name, take };
      if (first) takers.unshift(entry);
      else takers.push(entry);
      if (!running) {
        running = true;
        loop = run();
      }
      return () => {
        const at = takers.indexOf(entry);
        if (at >= 0) takers.splice(at, 1);
      };
    },
    // Ends the loop once no call into the library is in flight.
    async stop() {
      running = false;
      await loop;
      loop = null;
    },
  };
}
