using System.Globalization;
using System.Management.Automation;

namespace SnatTools;

/// <summary>
/// Lets a TimeSpan parameter take a plain number as seconds (<c>-Interval 5</c>), as operators
/// expect; PowerShell alone would read 5 as five ticks. Strings such as '00:00:05' and TimeSpan
/// values pass through unchanged.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
internal sealed class SecondsTransformationAttribute : ArgumentTransformationAttribute
{
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        object value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
        return value switch
        {
            int or long or short or byte or uint or ulong or ushort => TimeSpan.FromSeconds(Convert.ToDouble(value, CultureInfo.InvariantCulture)),
            double or float or decimal => TimeSpan.FromSeconds(Convert.ToDouble(value, CultureInfo.InvariantCulture)),
            string text when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) => TimeSpan.FromSeconds(seconds),
            _ => inputData,
        };
    }
}
