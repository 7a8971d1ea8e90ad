namespace SnatTools.Tests.HelpBuilder;

/// <summary>A small page in the PlatyPS schema that the tests break one rule at a time.</summary>
internal static class SampleDocs
{
    public const string FileName = "Get-Widget.md";

    public const string Valid = """
        ---
        external help file: Widget.dll-Help.xml
        Module Name: Widget
        online version:
        schema: 2.0.0
        ---

        # Get-Widget

        ## SYNOPSIS
        Gets widgets.

        ## SYNTAX

        ### ByName (Default)
        ```
        Get-Widget [[-Name] <String[]>] [-Kind <WidgetKind>] [<CommonParameters>]
        ```

        ### Live
        ```
        Get-Widget [[-Name] <String[]>] -Live [<CommonParameters>]
        ```

        ## DESCRIPTION
        Gets **widgets** from the `widget` table,
        one object per widget.

        - first point
        - second point

        ## EXAMPLES

        ### Example 1: All widgets
        ```powershell
        Get-Widget
        ```

        ```output
        Name Kind
        ---- ----
        a    Round
        ```

        Lists every widget. See [the site](https://example.org/widgets).

        ### Example 2: Live widgets
        ```powershell
        Get-Widget -Live
        ```

        This example needs root.

        ## PARAMETERS

        ### -Name
        Names of widgets; wildcards allowed.

        ```yaml
        Type: String[]
        Parameter Sets: (All)
        Aliases: FullName

        Required: False
        Position: 0
        Default value: All widgets
        Accept pipeline input: True (ByPropertyName)
        Accept wildcard characters: True
        ```

        ### -Kind
        The kind.

        ```yaml
        Type: WidgetKind
        Parameter Sets: ByName
        Aliases:
        Accepted values: Round, Square

        Required: False
        Position: Named
        Default value: None
        Accept pipeline input: False
        Accept wildcard characters: False
        ```

        ### -Live
        Reads the live table.

        ```yaml
        Type: SwitchParameter
        Parameter Sets: Live
        Aliases:

        Required: True
        Position: Named
        Default value: False
        Accept pipeline input: False
        Accept wildcard characters: False
        ```

        ### CommonParameters
        This cmdlet supports the common parameters.

        ## INPUTS

        ### System.String[]
        Names by property name.

        ## OUTPUTS

        ### Widget.WidgetInfo
        One per widget.

        ## NOTES
        Widgets are round by default.

        ## RELATED LINKS

        [Set-Widget](Set-Widget.md)

        [Online](https://example.org/get-widget)
        """;

    /// <summary>The 1-based line of the first line of <paramref name="doc"/> that starts with <paramref name="text"/>.</summary>
    public static int LineOf(string doc, string text) =>
        doc.Split('\n').Select((line, index) => (line, index)).First(x => x.line.StartsWith(text, StringComparison.Ordinal)).index + 1;
}
