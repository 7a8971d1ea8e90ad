namespace SnatTools.Core.Race;

/// <summary>The Nelder-Mead simplex search in two dimensions: enough for a two-parameter fit, no derivatives needed.</summary>
internal static class NelderMead
{
    public static (double X, double Y, double Value) Maximise(Func<double, double, double> function, double x, double y, double step, int iterations = 400, double tolerance = 1e-9)
    {
        var points = new (double X, double Y, double Value)[]
        {
            (x, y, function(x, y)),
            (x + step, y, function(x + step, y)),
            (x, y + step, function(x, y + step)),
        };

        for (int iteration = 0; iteration < iterations; iteration++)
        {
            Array.Sort(points, (a, b) => b.Value.CompareTo(a.Value));
            if (Math.Abs(points[0].Value - points[2].Value) < tolerance && iteration > 10)
            {
                break;
            }

            double cx = (points[0].X + points[1].X) / 2;
            double cy = (points[0].Y + points[1].Y) / 2;
            var worst = points[2];
            var reflected = Evaluate(function, cx + (cx - worst.X), cy + (cy - worst.Y));
            if (reflected.Value > points[0].Value)
            {
                var expanded = Evaluate(function, cx + (2 * (cx - worst.X)), cy + (2 * (cy - worst.Y)));
                points[2] = expanded.Value > reflected.Value ? expanded : reflected;
            }
            else if (reflected.Value > points[1].Value)
            {
                points[2] = reflected;
            }
            else
            {
                var contracted = Evaluate(function, cx + ((worst.X - cx) / 2), cy + ((worst.Y - cy) / 2));
                if (contracted.Value > worst.Value)
                {
                    points[2] = contracted;
                }
                else
                {
                    // Shrink towards the best point.
                    for (int i = 1; i < 3; i++)
                    {
                        points[i] = Evaluate(function, (points[0].X + points[i].X) / 2, (points[0].Y + points[i].Y) / 2);
                    }
                }
            }
        }

        Array.Sort(points, (a, b) => b.Value.CompareTo(a.Value));
        return points[0];
    }

    private static (double X, double Y, double Value) Evaluate(Func<double, double, double> function, double x, double y) => (x, y, function(x, y));
}
