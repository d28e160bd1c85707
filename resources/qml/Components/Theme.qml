pragma Singleton
import QtQuick

// The console's one dark, high-contrast theme: colours, sizes and fonts every page uses.
QtObject {
    readonly property color background: "#121417"
    readonly property color surface: "#1b1f24"
    readonly property color surfaceRaised: "#242a31"
    readonly property color border: "#3a424c"
    readonly property color text: "#eef2f6"
    readonly property color textMuted: "#a9b4c0"
    readonly property color accent: "#4fb3ff"
    readonly property color good: "#3ecf8e"
    readonly property color warning: "#ffb020"
    readonly property color danger: "#ff5c5c"
    readonly property color critical: "#ff3b3b"
    readonly property color high: "#ff8a3d"
    readonly property color medium: "#ffd23f"
    readonly property color low: "#7fb8ff"

    readonly property int touchTarget: 48
    readonly property int spacing: 12
    readonly property int radius: 6
    readonly property int fontSmall: 14
    readonly property int fontNormal: 16
    readonly property int fontLarge: 20
    readonly property int fontHuge: 28

    function priorityColor(priority) {
        switch (priority) {
        case "critical": return critical
        case "high": return high
        case "medium": return medium
        default: return low
        }
    }
}
