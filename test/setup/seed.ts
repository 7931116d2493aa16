// Every fast-check property runs from one seed (FC_SEED to replay another), so a failure found
// once is found again; time-budgeted properties still vary in how far they get.
import fc from 'fast-check';

fc.configureGlobal({ seed: Number(process.env.FC_SEED ?? 20261129) });
