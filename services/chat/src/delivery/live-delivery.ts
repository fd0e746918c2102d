/** Released by whoever opened a room's delivery, once their socket is in the room or has given it up. */
export type DeliveryLease = () => void;

/** How consumed records reach this instance's sockets: one of the two delivery modes. */
export interface LiveDelivery {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Connected and reading: readiness requires it. */
  readonly isConnected: boolean;
  /** Done with whatever it must read before serving (readiness requires it too). */
  readonly warmedUp: boolean;
  /** Records behind the newest known end of the messages topic, of what this instance reads. */
  lag(): number;
  /**
   * Makes sure the room's records reach this instance before a socket is
   * caught up in it; the lease keeps them coming until the socket has joined.
   */
  open(roomId: string): Promise<DeliveryLease>;
}
