namespace SnatTools.Core.Xtables.Matches;

/// <summary>-m comment (struct xt_comment_info: char comment[256], uapi xt_comment.h).</summary>
public sealed class CommentMatch : XtMatch
{
    public const int MaxLength = 256;

    public CommentMatch(uint revision, byte[] info)
        : base("comment", revision, info)
    {
        Comment = XtBlob.CString(info, 0, Math.Min(info.Length, MaxLength - 1));
    }

    public string Comment { get; }

    public static CommentMatch? Decode(uint revision, byte[] info) => revision == 0 && info.Length == MaxLength ? new CommentMatch(revision, info) : null;

    public override string SaveOptions(XtSaveContext context) => " --comment" + XtText.SaveString(Comment);
}
