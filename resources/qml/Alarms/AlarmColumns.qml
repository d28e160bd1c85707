pragma Singleton
import QtQuick

// The active alarm list's column widths, shared by its header and its rows so that they line up.
QtObject {
    readonly property int margin: 4
    readonly property int spacing: 8
    readonly property int priority: 100
    readonly property int time: 90
    readonly property int source: 130
    readonly property int message: 380
    readonly property int state: 160
    // The message's least width; it takes what the other columns and the commands leave.
    readonly property int commands: 250
}
