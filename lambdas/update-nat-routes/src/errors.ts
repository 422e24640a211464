/** Errors the handler raises; each message says what to look at. */

/** A required environment variable is missing or malformed. */
export class NatRoutesConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration: ${problems.join("; ")}`);
    this.name = "NatRoutesConfigError";
  }
}

/** The invocation payload is neither an ASG launch event nor a reconcile request. */
export class InvalidNatEventError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid event: ${problems.join("; ")}`);
    this.name = "InvalidNatEventError";
  }
}

/** The launched instance does not exist (any more). */
export class InstanceNotFoundError extends Error {
  constructor(readonly instanceId: string) {
    super(`instance ${instanceId} does not exist`);
    this.name = "InstanceNotFoundError";
  }
}

/** The instance has no primary network interface a route could target (e.g. it was terminated). */
export class NoNetworkInterfaceError extends Error {
  constructor(
    readonly instanceId: string,
    readonly state: string,
  ) {
    super(
      `instance ${instanceId} (state ${state}) has no primary network interface; ` +
        "the NAT routes were left unchanged",
    );
    this.name = "NoNetworkInterfaceError";
  }
}

/** The Auto Scaling group has no InService instance to route through. */
export class NoNatInstanceError extends Error {
  constructor(readonly groupName: string) {
    super(`Auto Scaling group ${groupName} has no InService instance; the NAT routes were left unchanged`);
    this.name = "NoNatInstanceError";
  }
}

/** An event named another Auto Scaling group than the NAT group this function serves. */
export class ForeignGroupError extends Error {
  constructor(
    readonly groupName: string,
    readonly expected: string,
  ) {
    super(`event is for Auto Scaling group ${groupName}, but this function serves ${expected}`);
    this.name = "ForeignGroupError";
  }
}
