// "8 min 20 s walk": said the same on the alert screen and in the results list. Its own module so that the alert
// screen (loaded first) does not pull in the results panel.
import { formatDuration } from '../lib/geo.ts';
import { t } from '../i18n/index.ts';

export function walkText(seconds: number): string {
  const { min, sec } = formatDuration(seconds);
  return t('find.walk', { min, sec });
}
