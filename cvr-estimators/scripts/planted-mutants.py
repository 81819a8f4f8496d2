#!/usr/bin/env python3
"""Plants hand-written errors in the objective code, one at a time, and checks that the tests
catch each (complements PIT, whose operators cannot express all of them).

Each mutant is applied to a copy of this module in a temporary directory (the working tree is
never touched) and `mvn -o test` runs there; the report names the test classes that failed.

    python3 cvr-estimators/scripts/planted-mutants.py          # all mutants
    python3 cvr-estimators/scripts/planted-mutants.py 0 3      # mutants 0 and 3

Needs the parent POM and cvr-api installed in ~/.m2 (as for any build of this module).
"""
import os
import shutil
import subprocess
import sys
import tempfile

MODULE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ROOT = os.path.dirname(MODULE)
P = 'src/main/java/org/causalcvr/estimators/'

mutants = [
 ("weight multiplies by p̂ instead of dividing (InverseWeights)", P+'objective/InverseWeights.java',
  'return ops.div(ops.scalar(1.0), propensity);', 'return propensity;'),
 ("IPW multiplies by p̂ instead of dividing", P+'objective/InversePropensityObjective.java',
  'T clickWeight = ops.mul(input.clicks(), weight);', 'T clickWeight = ops.mul(input.clicks(), ops.div(ops.scalar(1.0), weight));'),
 ("DR multiplies by p̂ instead of dividing", P+'objective/DoublyRobustObjective.java',
  'T clickWeight = ops.mul(input.clicks(), weight);', 'T clickWeight = ops.mul(input.clicks(), ops.div(ops.scalar(1.0), weight));'),
 ("IPW ignores the weight", P+'objective/InversePropensityObjective.java',
  'T clickWeight = ops.mul(input.clicks(), weight);', 'T clickWeight = input.clicks();'),
 ("DR drops the imputed term", P+'objective/DoublyRobustObjective.java',
  ': Rows.mean(ops, input, ops.add(imputed, correction));', ': Rows.mean(ops, input, correction);'),
 ("DR corrects with e instead of e - ê", P+'objective/DoublyRobustObjective.java',
  'T correction = ops.mul(clickWeight, ops.sub(error, imputed));', 'T correction = ops.mul(clickWeight, error);'),
 ("SNIPS divides by clicks, not clicks/p̂", P+'objective/InversePropensityObjective.java',
  'Rows.sum(ops, input, clickWeight))', 'Rows.sum(ops, input, input.clicks()))'),
 ("tau% measured from 0 instead of the minimum", P+'propensity/PropensityClipping.java',
  'double relative = batchMin + boundPercent / 100.0 * (batchMean - batchMin);', 'double relative = boundPercent / 100.0 * batchMean;'),
 ("ESMM CTCVR label o instead of o*r", P+'objective/EsmmObjective.java',
  'ops.mul(clicks, input.conversions()),', 'clicks,'),
 ("oversampling counts k+1 copies", P+'objective/ClickSpaceObjective.java',
  'ops.mulScalar(conversions, positiveWeight - 1.0)', 'ops.mulScalar(conversions, positiveWeight)'),
 ("detached option ignored", P+'propensity/CtrTowerPropensity.java',
  'detached ? ops.detach(probability) : probability', 'probability'),
 ("DR lets gradients into the imputation tower", P+'objective/DoublyRobustObjective.java',
  'ObjectiveInput<T> forImputation = Rows.detachExcept(ops, input, keep);', 'ObjectiveInput<T> forImputation = input;'),
 ("cross-entropy positive part uses log(1-q)", P+'objective/CrossEntropy.java',
  'T positive = ops.mul(labels, ops.log(q));', 'T positive = ops.mul(labels, ops.log(ops.oneMinus(q)));'),
 ("heuristic uses 1 - eta", P+'imputation/HeuristicImputation.java',
  'ops.full(predicted, eta)', 'ops.full(predicted, 1 - eta)'),
 ("imputation loss unweighted", P+'objective/ImputationLossObjective.java',
  'ops.mul(ops.mul(input.clicks(), weight), squared)', 'ops.mul(input.clicks(), squared)'),
 ("weight guard removed", P+'objective/InverseWeights.java',
  'if (!(smallest > 0) || Double.isInfinite(1.0 / smallest)) {', 'if (false) {'),
 ("clipping floor ignored", P+'propensity/PropensityClipping.java',
  'return ops.clamp(propensity, lowerBound(batchMin, batchMean), 1.0);', 'return propensity;'),
 ("row weights ignored in mean", P+'objective/Rows.java',
  'if (input.rowWeights().isEmpty()) {', 'if (true) {'),
 ("softplus without positive part", P+'imputation/ImputationTowerImputation.java',
  'return ops.add(positivePart, ops.log(ops.addScalar(ops.exp(ops.neg(absolute)), 1.0)));', 'return ops.log(ops.addScalar(ops.exp(ops.neg(absolute)), 1.0));'),
 ("ctr CE over clicked rows only", P+'objective/ClickThroughObjective.java',
  'return Rows.mean(ops, input, CrossEntropy.perRow(ops, input.clicks(), clickProbability));', 'return Rows.ratio(ops, Rows.sum(ops, input, ops.mul(input.clicks(), CrossEntropy.perRow(ops, input.clicks(), clickProbability))), ops.sum(input.clicks()));'),
]


def run(index, name, path, old, new):
    with tempfile.TemporaryDirectory(prefix='planted-') as base:
        shutil.copy(os.path.join(ROOT, 'pom.xml'), os.path.join(base, 'pom.xml'))
        copy = os.path.join(base, 'cvr-estimators')
        shutil.copytree(MODULE, copy, ignore=shutil.ignore_patterns('target', 'scripts'))
        source = os.path.join(copy, path)
        text = open(source, encoding='utf-8').read()
        if text.count(old) != 1:
            return 'PATTERN FOUND %d TIMES' % text.count(old), []
        with open(source, 'w', encoding='utf-8') as f:
            f.write(text.replace(old, new))
        result = subprocess.run(
            ['mvn', '-q', '-o', 'test', '-f', os.path.join(copy, 'pom.xml'),
             '-Dspotless.check.skip=true'],
            capture_output=True, text=True)
        failed = []
        reports = os.path.join(copy, 'target', 'surefire-reports')
        if os.path.isdir(reports):
            for report in sorted(os.listdir(reports)):
                if report.endswith('.txt'):
                    content = open(os.path.join(reports, report), encoding='utf-8').read()
                    if 'FAILURE!' in content or 'ERROR!' in content:
                        failed.append(report[:-4].replace('org.causalcvr.estimators.', ''))
        if result.returncode == 0:
            return 'SURVIVED', failed
        return ('KILLED' if failed else 'KILLED (build failed)'), failed


def main():
    chosen = {int(a) for a in sys.argv[1:]}
    survived = 0
    for index, (name, path, old, new) in enumerate(mutants):
        if chosen and index not in chosen:
            continue
        status, failed = run(index, name, path, old, new)
        survived += status != 'KILLED'
        print('%2d %-8s %s <- %s' % (index, status, name, ', '.join(failed)), flush=True)
    sys.exit(1 if survived else 0)


if __name__ == '__main__':
    main()
