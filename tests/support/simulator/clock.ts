/** Time as the simulated services see it, in epoch milliseconds. */
export interface Clock {
  now(): number;
}

export interface VirtualClockOptions {
  /** Virtual milliseconds per real millisecond; 60 plays a minute of rollout per second. Default 1. */
  readonly speed?: number;
  /** Virtual time at creation; defaults to the real time. */
  readonly start?: number;
  /** The real clock, injectable so tests never wait. */
  readonly realNow?: () => number;
}

/**
 * Virtual time runs `speed` times faster than real time and can jump ahead with `advance`.
 * Changing the speed re-anchors, so time already played is kept.
 */
export class VirtualClock implements Clock {
  private readonly realNow: () => number;
  private anchorReal: number;
  private anchorVirtual: number;
  private currentSpeed: number;
  private readonly initialSpeed: number;

  constructor(options: VirtualClockOptions = {}) {
    this.realNow = options.realNow ?? Date.now;
    this.initialSpeed = checkSpeed(options.speed ?? 1);
    this.currentSpeed = this.initialSpeed;
    this.anchorReal = this.realNow();
    this.anchorVirtual = options.start ?? this.anchorReal;
  }

  now(): number {
    return this.anchorVirtual + (this.realNow() - this.anchorReal) * this.currentSpeed;
  }

  get speed(): number {
    return this.currentSpeed;
  }

  setSpeed(speed: number): void {
    this.reanchor(this.now());
    this.currentSpeed = checkSpeed(speed);
  }

  /** Jumps ahead; never backwards, so states already seen by a client are not undone. */
  advance(milliseconds: number): void {
    if (!(milliseconds >= 0))
      throw new RangeError(`can only advance by 0 or more milliseconds, got ${milliseconds}`);
    this.reanchor(this.now() + milliseconds);
  }

  /** Back to real time at the speed the clock was created with. */
  reset(): void {
    this.currentSpeed = this.initialSpeed;
    this.reanchor(this.realNow());
  }

  private reanchor(virtualNow: number): void {
    this.anchorReal = this.realNow();
    this.anchorVirtual = virtualNow;
  }
}

function checkSpeed(speed: number): number {
  if (!(speed > 0) || !Number.isFinite(speed))
    throw new RangeError(`clock speed must be a positive number, got ${speed}`);
  return speed;
}
