/**
 * THE contract of what Alertmanager pushes to the gateway (src/http/alertmanager-webhook.ts): one
 * notification's alerts, each with the cluster it came from. A sink's `accept` resolves once what
 * it must not lose is durable: the webhook answers Alertmanager only after every sink resolved,
 * so a failed sink makes Alertmanager send the notification again.
 */

export type PushedAlertStatus = "firing" | "resolved";

/** One alert of an Alertmanager notification (its webhook payload's `alerts[]`, plus the cluster). */
export interface PushedAlert {
  readonly cluster: string;
  readonly status: PushedAlertStatus;
  /** Alertmanager's fingerprint of the label set: the alert's identity. */
  readonly fingerprint: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  /** RFC 3339, as Alertmanager sent it. */
  readonly startsAt: string;
  /** RFC 3339; undefined while firing (Alertmanager sends the zero time). */
  readonly endsAt?: string;
  readonly generatorURL?: string;
}

/** One notification: its alerts and the group they were sent as. */
export interface AlertPush {
  readonly receiver: string;
  readonly status: PushedAlertStatus;
  readonly groupKey: string;
  readonly externalURL: string;
  /** Alerts Alertmanager left out of this notification (its `max_alerts`). */
  readonly truncatedAlerts: number;
  readonly groupLabels: Readonly<Record<string, string>>;
  readonly alerts: readonly PushedAlert[];
}

export interface AlertSink {
  accept(push: AlertPush): Promise<void>;
}

/**
 * The sinks a push goes to: the notifications by default; the alert stream adds itself
 * (`add`) to consume pushes instead of polling.
 */
export class AlertSinks implements AlertSink {
  private readonly sinks = new Set<AlertSink>();

  /** Returns the removal. */
  add(sink: AlertSink): () => void {
    this.sinks.add(sink);
    return () => this.sinks.delete(sink);
  }

  async accept(push: AlertPush): Promise<void> {
    await Promise.all([...this.sinks].map((sink) => sink.accept(push)));
  }
}
