namespace MatchService.Matching.Calibration;

/// <summary>
/// Fits A and B of S = 1 / (1 + exp(A·D + B)) to labelled pairs (distance D, genuine or impostor) by maximum
/// likelihood: Newton's method (IRLS) on the standardised distance z = (D − mean) / sd, with a small ridge
/// penalty on the slope so that separable data still give a finite, deterministic answer, and step halving
/// so that every accepted step raises the penalised likelihood.
/// </summary>
public static class LogisticCalibration
{
    /// <summary>Fits the curve; throws when a class is missing, a distance is not finite, or genuine pairs are not closer.</summary>
    public static LogisticFit Fit(IReadOnlyList<LabeledScore> pairs, LogisticCalibrationOptions? options = null)
    {
        options ??= new LogisticCalibrationOptions();
        ArgumentNullException.ThrowIfNull(pairs);
        var genuine = 0;
        double sum = 0;
        for (var i = 0; i < pairs.Count; i++)
        {
            if (!double.IsFinite(pairs[i].Value))
            {
                throw new MatchingArgumentException($"pairs[{i}].distance", $"is {pairs[i].Value}; distances must be finite");
            }

            genuine += pairs[i].Genuine ? 1 : 0;
            sum += pairs[i].Value;
        }

        var impostor = pairs.Count - genuine;
        if (genuine == 0 || impostor == 0)
        {
            throw new MatchingArgumentException("pairs", $"has {genuine} genuine and {impostor} impostor pairs; the fit needs at least one of each");
        }

        var mean = sum / pairs.Count;
        double ss = 0;
        foreach (var p in pairs)
        {
            ss += (p.Value - mean) * (p.Value - mean);
        }

        var sd = Math.Sqrt(ss / pairs.Count);
        if (!(sd > 0))
        {
            throw new MatchingArgumentException("pairs", "all distances are equal; genuine and impostor pairs cannot be told apart");
        }

        // Model: P(genuine | z) = σ(g0 + g1·z). Start from the class prior.
        var g0 = Math.Log((double)genuine / impostor);
        var g1 = 0.0;
        var lambda = options.L2Penalty;
        var objective = Penalized(pairs, mean, sd, g0, g1, lambda);
        var iterations = 0;
        var converged = false;
        while (iterations < options.MaxIterations)
        {
            iterations++;
            double grad0 = 0, grad1 = 0, h00 = 0, h01 = 0, h11 = 0;
            foreach (var p in pairs)
            {
                var z = (p.Value - mean) / sd;
                var prob = Sigmoid(g0 + (g1 * z));
                var residual = (p.Genuine ? 1.0 : 0.0) - prob;
                var w = prob * (1 - prob);
                grad0 += residual;
                grad1 += residual * z;
                h00 += w;
                h01 += w * z;
                h11 += w * z * z;
            }

            grad1 -= lambda * g1;
            h11 += lambda;
            var det = (h00 * h11) - (h01 * h01);
            if (!(det > 1e-300))
            {
                break;
            }

            var step0 = ((h11 * grad0) - (h01 * grad1)) / det;
            var step1 = ((h00 * grad1) - (h01 * grad0)) / det;

            // Step halving keeps the penalised likelihood monotone (it is concave, so a short enough step rises).
            var scale = 1.0;
            double next;
            while (true)
            {
                next = Penalized(pairs, mean, sd, g0 + (scale * step0), g1 + (scale * step1), lambda);
                if (next >= objective - 1e-12 || scale < 1e-6)
                {
                    break;
                }

                scale *= 0.5;
            }

            g0 += scale * step0;
            g1 += scale * step1;
            objective = next;
            if (Math.Max(Math.Abs(scale * step0), Math.Abs(scale * step1)) < options.Tolerance)
            {
                converged = true;
                break;
            }
        }

        // σ(g0 + g1·(D − m)/sd) = 1 / (1 + exp(A·D + B)) with A = −g1/sd, B = −g0 + g1·m/sd.
        var a = -g1 / sd;
        var b = -g0 + (g1 * mean / sd);
        if (!(a > 0))
        {
            throw new MatchingArgumentException("pairs", $"the fitted slope A = {a:G4} is not positive: genuine pairs are not closer than impostor pairs, so the model or the labels are wrong");
        }

        var labelled = pairs.ToArray();
        return new LogisticFit(
            new LogisticSimilarity(a, b),
            iterations,
            converged,
            lambda,
            genuine,
            impostor,
            LogLikelihood(pairs, mean, sd, g0, g1),
            ErrorRates.EqualErrorRate(labelled, ScoreDirection.LowerIsGenuine));
    }

    private static double Penalized(IReadOnlyList<LabeledScore> pairs, double mean, double sd, double g0, double g1, double lambda) =>
        LogLikelihood(pairs, mean, sd, g0, g1) - (0.5 * lambda * g1 * g1);

    private static double LogLikelihood(IReadOnlyList<LabeledScore> pairs, double mean, double sd, double g0, double g1)
    {
        double ll = 0;
        foreach (var p in pairs)
        {
            var eta = g0 + (g1 * (p.Value - mean) / sd);

            // log σ(η) = −log(1 + e^−η); log(1 − σ(η)) = −log(1 + e^η), both computed stably.
            ll -= p.Genuine ? Softplus(-eta) : Softplus(eta);
        }

        return ll;
    }

    private static double Softplus(double x) => x > 0 ? x + Math.Log(1 + Math.Exp(-x)) : Math.Log(1 + Math.Exp(x));

    private static double Sigmoid(double x) => x >= 0 ? 1.0 / (1.0 + Math.Exp(-x)) : Math.Exp(x) / (1.0 + Math.Exp(x));
}
