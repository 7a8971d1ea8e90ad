using System.Globalization;
using System.Text;

namespace SnatTools.Core.Xtables.Matches;

/// <summary>
/// -m time rev 0 (uapi xt_time.h): struct xt_time_info { u32 date_start, date_stop, daytime_start,
/// daytime_stop, monthdays_match; u8 weekdays_match, flags } = 22, aligned 24.
/// </summary>
public sealed class TimeMatch : XtMatch
{
    private const int Size = 24;
    private const uint AllMonthdays = 0xfffffffe;  // XT_TIME_ALL_MONTHDAYS
    private const byte AllWeekdays = 0xfe;         // XT_TIME_ALL_WEEKDAYS
    private const uint MaxDaytime = (24 * 60 * 60) - 1;
    private const byte LocalTz = 1, Contiguous = 2;  // XT_TIME_LOCAL_TZ, XT_TIME_CONTIGUOUS
    private static readonly string[] WeekDays = [string.Empty, "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

    private TimeMatch(byte[] info)
        : base("time", 0, info)
    {
    }

    public static TimeMatch? Decode(uint revision, byte[] info) => revision == 0 && info.Length == Size ? new TimeMatch(info) : null;

    /// <summary>time_save: day times unless the whole day, month days and week days unless all, dates unless 0, then the flags.</summary>
    public override string SaveOptions(XtSaveContext context)
    {
        var text = new StringBuilder();
        uint start = XtBlob.U32(Info, 8), stop = XtBlob.U32(Info, 12);
        if (start != 0 || stop != MaxDaytime)
        {
            text.Append(" --timestart ").Append(DayTime(start)).Append(" --timestop ").Append(DayTime(stop));
        }

        uint monthdays = XtBlob.U32(Info, 16);
        if (monthdays != AllMonthdays)
        {
            text.Append(" --monthdays ").Append(string.Join(',', Enumerable.Range(1, 31).Where(i => (monthdays & (1u << i)) != 0)));
        }

        byte weekdays = Info[20];
        if (weekdays != AllWeekdays)
        {
            text.Append(" --weekdays ").Append(string.Join(',', Enumerable.Range(1, 7).Where(i => (weekdays & (1 << i)) != 0).Select(i => WeekDays[i])));
        }

        AppendDate(text, "--datestart", XtBlob.U32(Info, 0));
        AppendDate(text, "--datestop", XtBlob.U32(Info, 4));
        byte flags = Info[21];
        if ((flags & LocalTz) != 0)
        {
            text.Append(" --kerneltz");
        }

        if ((flags & Contiguous) != 0)
        {
            text.Append(" --contiguous");
        }

        return text.ToString();
    }

    /// <summary>divide_time and %02u:%02u:%02u (hours are not wrapped).</summary>
    private static string DayTime(uint seconds) =>
        string.Create(CultureInfo.InvariantCulture, $"{seconds / 3600:00}:{seconds / 60 % 60:00}:{seconds % 60:00}");

    /// <summary>time_print_date: nothing for 0, else gmtime as YYYY-MM-DDTHH:MM:SS.</summary>
    private static void AppendDate(StringBuilder text, string option, uint date)
    {
        if (date != 0)
        {
            var utc = DateTimeOffset.FromUnixTimeSeconds(date).UtcDateTime;
            text.Append(' ').Append(option).Append(' ').Append(utc.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture));
        }
    }
}
