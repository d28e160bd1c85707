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
    // Rows and drop-down entries picked or under the pointer; Theme.text on it is 7.6:1.
    readonly property color selection: "#1f4f78"
    // Selected text and focus frames; Theme.text on it is 4.9:1.
    readonly property color highlight: "#266ca6"
    readonly property real disabledOpacity: 0.45

    // The smallest area the pages are laid out for; a smaller window scrolls them (Main.qml).
    readonly property int pageMinimumWidth: 1400
    readonly property int pageMinimumHeight: 740
    // Pixels the pages scroll for one notch of the mouse wheel.
    readonly property int wheelStep: 60

    readonly property int touchTarget: 48
    readonly property int spacing: 12
    readonly property int radius: 6
    readonly property int fontSmall: 14
    readonly property int fontNormal: 16
    readonly property int fontLarge: 20
    readonly property int fontHuge: 28

    // A row's tone: a colour ("#rrggbb", a defect class) or a priority's name.
    function toneColor(tone) {
        return tone.startsWith("#") ? tone : priorityColor(tone)
    }

    function priorityColor(priority) {
        switch (priority) {
        case "critical": return critical
        case "high": return high
        case "medium": return medium
        default: return low
        }
    }
}
