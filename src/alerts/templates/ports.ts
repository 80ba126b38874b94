// Store port of the alert templates: the overrides admins and approvers saved over the built-in wording
// (src/alerts/templates/defaults.ts). The defaults are code; only changes are stored.
import type { AlertTemplate, TemplateKey } from './model.ts';

export interface AlertTemplateStore {
  /** Every stored override, ordered by event type, stage and language. */
  list(): Promise<AlertTemplate[]>;
  get(key: TemplateKey): Promise<AlertTemplate | null>;
  /** Creates or replaces the override for its key. */
  put(template: AlertTemplate): Promise<void>;
  /** Removes the override (the built-in text applies again); false when there was none. */
  remove(key: TemplateKey): Promise<boolean>;
}
