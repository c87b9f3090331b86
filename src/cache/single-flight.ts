// Concurrent misses for one key share one fill. A flight remembers the invalidation epoch it began
// in; a request arriving after an invalidation does not join an older flight (its backend answer
// may predate the write) but starts its own.

interface Flight<T> {
  epoch: number;
  promise: Promise<T>;
}

export class SingleFlight<T> {
  private readonly flights = new Map<string, Flight<T>>();
  joined = 0;

  /** The running fill of `key` from `epoch`, or a new one from `start`. */
  run(key: string, epoch: number, start: () => Promise<T>): Promise<T> {
    const running = this.flights.get(key);
    if (running !== undefined && running.epoch === epoch) {
      this.joined++;
      return running.promise;
    }
    const flight: Flight<T> = { epoch, promise: start() };
    this.flights.set(key, flight);
    const forget = () => {
      if (this.flights.get(key) === flight) this.flights.delete(key);
    };
    flight.promise.then(forget, forget);
    return flight.promise;
  }

  get size(): number {
    return this.flights.size;
  }
}
