// The public page's entry, the first script the browser runs: it asks for the live alerts and opens their stream at
// once (alert-feed.ts), asks for the resident's dictionary alongside, then runs the alert screens (alert-start.ts,
// fetched with this script), which load the map and the rest of the page only once the alerts are on screen. An
// alert never waits for the map, the search or another language's strings, and arrives without WebGL at all.
import '../styles.css';
import { openAlertFeed } from './alert-feed.ts';
import { detectLanguage, fetchDictionary } from '../i18n/languages.ts';

const feed = openAlertFeed();
performance.mark('refuge:alerts-started');
void fetchDictionary(detectLanguage()).catch(() => undefined); // i18n/index.ts asks again and says if it fails
void import('./alert-start.ts').then(({ startAlerts }) => startAlerts(feed));
