// Imported before anything that builds a zod schema: zod probes `new Function` when it builds an
// object schema (to compile fast parsers), and the webview's CSP reports that probe as a violation
// even though zod catches it. Jitless zod never probes.
import { z } from "zod";

z.config({ jitless: true });
